// rules/vpc.yaml: VPC networking calls (EC2 API). Corpus records where they exist, the rest written
// from the EC2 API reference (test/fixtures/rules/vpc/events.doc-shaped.json).

import { describe } from 'vitest';
import { created, deleted, res } from './case-builders.js';
import { fixtureRecord } from './harness.js';
import { docRecords, type RuleCase, ruleCases } from './rule-cases.js';

const corpus = (name: string) => fixtureRecord(`vpc/corpus/${name}.json`);
const doc = docRecords('vpc', 'ec2.amazonaws.com');

const V = 'vpc-0a1b2c3d4e5f60718';
const TGW_RT = 'tgw-rtb-0a1b2c3d4e5f60718';
const TGW_ATT = 'tgw-attach-0a1b2c3d4e5f60718';

const S3_READ_POLICY =
  '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::app-data/*"}]}';

const cases: RuleCase[] = [
  created('vpc.vpc.create', corpus('panther-analysis__aws_ec2_vpc_modified__1'), 'aws_vpc', 'medium'),
  deleted('vpc.vpc.delete', doc.DeleteVpc, res('aws_vpc', V), 'high'),
  {
    rule: 'vpc.vpc.modify-attribute',
    record: doc.ModifyVpcAttribute,
    state: [res('aws_vpc', V, { enable_dns_hostnames: false, enable_dns_support: true })],
    kind: 'modified',
    severity: 'medium',
    changes: { enable_dns_hostnames: true },
    unchanged: [res('aws_vpc', V, { enable_dns_hostnames: true })],
  },
  {
    rule: 'vpc.vpc.modify-tenancy',
    record: doc.ModifyVpcTenancy,
    state: [res('aws_vpc', V, { instance_tenancy: 'dedicated' })],
    kind: 'modified',
    severity: 'low',
    changes: { instance_tenancy: 'default' },
  },
  created(
    'vpc.cidr-block.associate',
    doc.AssociateVpcCidrBlock,
    'aws_vpc_ipv4_cidr_block_association',
    'medium',
  ),
  deleted(
    'vpc.cidr-block.disassociate',
    doc.DisassociateVpcCidrBlock,
    res('aws_vpc_ipv4_cidr_block_association', 'vpc-cidr-assoc-0a1b2c3d4e5f60718', { vpc_id: V }),
    'medium',
  ),
  created('vpc.subnet.create', doc.CreateSubnet, 'aws_subnet', 'low'),
  deleted('vpc.subnet.delete', doc.DeleteSubnet, res('aws_subnet', 'subnet-0b1c2d3e4f5a60718'), 'high'),
  {
    rule: 'vpc.subnet.modify-attribute',
    record: doc.ModifySubnetAttribute,
    state: [res('aws_subnet', 'subnet-0b1c2d3e4f5a60718', { map_public_ip_on_launch: false })],
    kind: 'modified',
    severity: 'high',
    changes: { map_public_ip_on_launch: true },
    unchanged: [res('aws_subnet', 'subnet-0b1c2d3e4f5a60718', { map_public_ip_on_launch: true })],
  },
  created('vpc.route-table.create', doc.CreateRouteTable, 'aws_route_table', 'low'),
  deleted(
    'vpc.route-table.delete',
    doc.DeleteRouteTable,
    res('aws_route_table', 'rtb-0c1d2e3f4a5b60718'),
    'high',
  ),
  {
    rule: 'vpc.route.create',
    label: 'default route to an internet gateway',
    record: corpus('panther-analysis__aws_ec2_route_table_modified__1'),
    state: [res('aws_route_table', 'rtb-1', { vpc_id: 'vpc-1' })],
    kind: 'modified',
    severity: 'high',
    changes: [],
  },
  {
    rule: 'vpc.route.replace',
    record: doc.ReplaceRoute,
    state: [
      res('aws_route', 'r-rtb-0c1d2e3f4a5b607181080289494', {
        route_table_id: 'rtb-0c1d2e3f4a5b60718',
        destination_cidr_block: '0.0.0.0/0',
        gateway_id: 'igw-0f1a2b3c4d5e60718',
        nat_gateway_id: '',
      }),
    ],
    kind: 'modified',
    severity: 'high',
    changes: { nat_gateway_id: 'nat-0d1e2f3a4b5c60718' },
  },
  deleted(
    'vpc.route.delete',
    doc.DeleteRoute,
    res('aws_route', 'r-rtb-0c1d2e3f4a5b60718123', {
      route_table_id: 'rtb-0c1d2e3f4a5b60718',
      destination_cidr_block: '10.2.0.0/16',
    }),
    'medium',
  ),
  created(
    'vpc.route-table-association.create',
    doc.AssociateRouteTable,
    'aws_route_table_association',
    'medium',
  ),
  deleted(
    'vpc.route-table-association.delete',
    doc.DisassociateRouteTable,
    res('aws_route_table_association', 'rtbassoc-0e1f2a3b4c5d60718'),
    'medium',
  ),
  {
    rule: 'vpc.route-table-association.replace',
    record: doc.ReplaceRouteTableAssociation,
    state: [
      res('aws_route_table_association', 'rtbassoc-0e1f2a3b4c5d60718', {
        route_table_id: 'rtb-0c1d2e3f4a5b60718',
      }),
    ],
    kind: 'modified',
    severity: 'medium',
    changes: { route_table_id: 'rtb-0ffffffffffff0001' },
  },
  created('vpc.internet-gateway.create', doc.CreateInternetGateway, 'aws_internet_gateway', 'medium'),
  deleted(
    'vpc.internet-gateway.delete',
    doc.DeleteInternetGateway,
    res('aws_internet_gateway', 'igw-0f1a2b3c4d5e60718'),
    'high',
  ),
  {
    rule: 'vpc.internet-gateway.attach',
    record: corpus('panther-analysis__aws_ec2_gateway_modified__1'),
    state: [res('aws_internet_gateway', 'igw-1', { vpc_id: '' })],
    kind: 'modified',
    severity: 'high',
    changes: { vpc_id: 'vpc-1' },
    unchanged: [res('aws_internet_gateway', 'igw-1', { vpc_id: 'vpc-1' })],
  },
  deleted(
    'vpc.internet-gateway.detach',
    doc.DetachInternetGateway,
    res('aws_internet_gateway_attachment', `igw-0f1a2b3c4d5e60718:${V}`),
    'high',
  ),
  created(
    'vpc.egress-only-gateway.create',
    doc.CreateEgressOnlyInternetGateway,
    'aws_egress_only_internet_gateway',
    'low',
  ),
  deleted(
    'vpc.egress-only-gateway.delete',
    doc.DeleteEgressOnlyInternetGateway,
    res('aws_egress_only_internet_gateway', 'eigw-0a1b2c3d4e5f60718'),
    'medium',
  ),
  created('vpc.nat-gateway.create', doc.CreateNatGateway, 'aws_nat_gateway', 'medium'),
  deleted(
    'vpc.nat-gateway.delete',
    doc.DeleteNatGateway,
    res('aws_nat_gateway', 'nat-0d1e2f3a4b5c60718'),
    'high',
  ),
  created('vpc.network-acl.create', doc.CreateNetworkAcl, 'aws_network_acl', 'low'),
  deleted(
    'vpc.network-acl.delete',
    doc.DeleteNetworkAcl,
    res('aws_network_acl', 'acl-0a1b2c3d4e5f60718'),
    'high',
  ),
  {
    rule: 'vpc.network-acl-entry.create',
    label: 'inbound allow from 0.0.0.0/0',
    record: corpus('panther-analysis__aws_network_acl_permissive_entry__1'),
    state: [res('aws_network_acl', 'acl-1111', { vpc_id: V })],
    kind: 'modified',
    severity: 'high',
    changes: [],
  },
  {
    rule: 'vpc.network-acl-entry.replace',
    record: doc.ReplaceNetworkAclEntry,
    state: [
      res('aws_network_acl_rule', 'nacl-1917870932', {
        network_acl_id: 'acl-0a1b2c3d4e5f60718',
        rule_number: 100,
        egress: false,
        rule_action: 'allow',
        protocol: 'tcp',
        cidr_block: '10.0.0.0/8',
        from_port: 22,
        to_port: 22,
      }),
    ],
    kind: 'modified',
    severity: 'high',
    changes: { cidr_block: '0.0.0.0/0' },
  },
  deleted(
    'vpc.network-acl-entry.delete',
    doc.DeleteNetworkAclEntry,
    res('aws_network_acl_rule', 'nacl-200', {
      network_acl_id: 'acl-0a1b2c3d4e5f60718',
      rule_number: 200,
      egress: true,
    }),
    'medium',
  ),
  {
    rule: 'vpc.network-acl-association.replace',
    record: doc.ReplaceNetworkAclAssociation,
    state: [
      res('aws_network_acl_association', 'aclassoc-0a1b2c3d4e5f60718', {
        network_acl_id: 'acl-0a1b2c3d4e5f60718',
      }),
    ],
    kind: 'modified',
    severity: 'medium',
    changes: { network_acl_id: 'acl-0ffffffffffff0001' },
  },
  created('vpc.endpoint.create', doc.CreateVpcEndpoint, 'aws_vpc_endpoint', 'medium'),
  {
    rule: 'vpc.endpoint-policy.modify',
    label: 'policy widened, split aws_vpc_endpoint_policy in state: it is named, not the endpoint',
    record: doc.ModifyVpcEndpoint,
    state: [
      res('aws_vpc_endpoint', 'vpce-0a1b2c3d4e5f60718', { policy: S3_READ_POLICY }),
      res('aws_vpc_endpoint_policy', 'vpce-0a1b2c3d4e5f60718', {
        vpc_endpoint_id: 'vpce-0a1b2c3d4e5f60718',
        policy: S3_READ_POLICY,
      }),
    ],
    kind: 'modified',
    severity: 'high',
    type: 'aws_vpc_endpoint_policy',
    changes: {
      policy: {
        Version: '2012-10-17',
        Statement: [{ Action: ['*'], Effect: 'Allow', Principal: { AWS: ['*'] }, Resource: ['*'] }],
      },
    },
    unchanged: [
      res('aws_vpc_endpoint', 'vpce-0a1b2c3d4e5f60718', { policy: S3_READ_POLICY }),
      res('aws_vpc_endpoint_policy', 'vpce-0a1b2c3d4e5f60718', {
        vpc_endpoint_id: 'vpce-0a1b2c3d4e5f60718',
        policy:
          '{"Statement":[{"Action":"*","Effect":"Allow","Principal":"*","Resource":"*"}],"Version":"2012-10-17"}',
      }),
    ],
  },
  {
    rule: 'vpc.endpoint.modify',
    label: 'policy widened to full access',
    record: doc.ModifyVpcEndpoint,
    state: [
      res('aws_vpc_endpoint', 'vpce-0a1b2c3d4e5f60718', {
        policy:
          '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::app-data/*"}]}',
      }),
    ],
    kind: 'modified',
    severity: 'high',
    changes: {
      policy: {
        Version: '2012-10-17',
        Statement: [{ Action: ['*'], Effect: 'Allow', Principal: { AWS: ['*'] }, Resource: ['*'] }],
      },
    },
    unchanged: [
      res('aws_vpc_endpoint', 'vpce-0a1b2c3d4e5f60718', {
        policy:
          '{"Statement":[{"Action":"*","Effect":"Allow","Principal":"*","Resource":"*"}],"Version":"2012-10-17"}',
      }),
    ],
  },
  deleted(
    'vpc.endpoint.delete',
    doc.DeleteVpcEndpoints,
    res('aws_vpc_endpoint', 'vpce-0a1b2c3d4e5f60718'),
    'high',
  ),
  created('vpc.peering.create', doc.CreateVpcPeeringConnection, 'aws_vpc_peering_connection', 'high'),
  {
    rule: 'vpc.peering.accept',
    record: doc.AcceptVpcPeeringConnection,
    state: [
      res('aws_vpc_peering_connection', 'pcx-0a1b2c3d4e5f60718', { accept_status: 'pending-acceptance' }),
    ],
    kind: 'modified',
    severity: 'high',
    changes: { accept_status: 'active' },
  },
  deleted(
    'vpc.peering.delete',
    doc.DeleteVpcPeeringConnection,
    res('aws_vpc_peering_connection', 'pcx-0a1b2c3d4e5f60718'),
    'high',
  ),
  {
    rule: 'vpc.peering.options',
    record: doc.ModifyVpcPeeringConnectionOptions,
    state: [
      res('aws_vpc_peering_connection_options', 'pcx-0a1b2c3d4e5f60718', {
        vpc_peering_connection_id: 'pcx-0a1b2c3d4e5f60718',
        requester: [{ allow_remote_vpc_dns_resolution: false }],
      }),
    ],
    kind: 'modified',
    severity: 'medium',
    changes: { 'requester[0].allow_remote_vpc_dns_resolution': true },
  },
  created('vpc.flow-log.create', doc.CreateFlowLogs, 'aws_flow_log', 'low'),
  deleted(
    'vpc.flow-log.delete',
    corpus('stratus-red-team__aws.defense-evasion.vpc-remove-flow-logs__1'),
    res('aws_flow_log', 'fl-0e17aa62a21d4bbfe', { vpc_id: V, traffic_type: 'ALL' }),
    'high',
  ),
  created('vpc.dhcp-options.create', doc.CreateDhcpOptions, 'aws_vpc_dhcp_options', 'low'),
  deleted(
    'vpc.dhcp-options.delete',
    doc.DeleteDhcpOptions,
    res('aws_vpc_dhcp_options', 'dopt-0a1b2c3d4e5f60718'),
    'medium',
  ),
  {
    rule: 'vpc.dhcp-options.associate',
    record: doc.AssociateDhcpOptions,
    state: [
      res('aws_vpc_dhcp_options_association', 'dopt-0a1b2c3d4e5f60718-vpc', {
        vpc_id: V,
        dhcp_options_id: 'dopt-0a1b2c3d4e5f60718',
      }),
    ],
    kind: 'modified',
    severity: 'medium',
    changes: { dhcp_options_id: 'dopt-0ffffffffffff0001' },
  },
  created('vpc.transit-gateway.create', doc.CreateTransitGateway, 'aws_ec2_transit_gateway', 'medium'),
  deleted(
    'vpc.transit-gateway.delete',
    doc.DeleteTransitGateway,
    res('aws_ec2_transit_gateway', 'tgw-0a1b2c3d4e5f60718'),
    'high',
  ),
  {
    rule: 'vpc.transit-gateway.modify',
    record: doc.ModifyTransitGateway,
    state: [
      res('aws_ec2_transit_gateway', 'tgw-0a1b2c3d4e5f60718', { auto_accept_shared_attachments: 'disable' }),
    ],
    kind: 'modified',
    severity: 'medium',
    changes: { auto_accept_shared_attachments: 'enable' },
  },
  created(
    'vpc.transit-gateway-vpc-attachment.create',
    doc.CreateTransitGatewayVpcAttachment,
    'aws_ec2_transit_gateway_vpc_attachment',
    'high',
  ),
  deleted(
    'vpc.transit-gateway-vpc-attachment.delete',
    corpus('cloud-custodian__event-transit-gateway-delete-vpc-attachment__1'),
    res('aws_ec2_transit_gateway_vpc_attachment', 'tgw-attach-0814a77755bf02f0e'),
    'high',
  ),
  {
    rule: 'vpc.transit-gateway-vpc-attachment.modify',
    record: doc.ModifyTransitGatewayVpcAttachment,
    state: [res('aws_ec2_transit_gateway_vpc_attachment', TGW_ATT, { dns_support: 'enable' })],
    kind: 'modified',
    severity: 'medium',
    changes: { dns_support: 'disable' },
  },
  created(
    'vpc.transit-gateway-route-table.create',
    doc.CreateTransitGatewayRouteTable,
    'aws_ec2_transit_gateway_route_table',
    'low',
  ),
  deleted(
    'vpc.transit-gateway-route-table.delete',
    doc.DeleteTransitGatewayRouteTable,
    res('aws_ec2_transit_gateway_route_table', TGW_RT),
    'high',
  ),
  created(
    'vpc.transit-gateway-route.create',
    doc.CreateTransitGatewayRoute,
    'aws_ec2_transit_gateway_route',
    'medium',
  ),
  deleted(
    'vpc.transit-gateway-route.delete',
    doc.DeleteTransitGatewayRoute,
    res('aws_ec2_transit_gateway_route', `${TGW_RT}_10.9.0.0/16`),
    'high',
  ),
  created(
    'vpc.transit-gateway-route-table-association.create',
    doc.AssociateTransitGatewayRouteTable,
    'aws_ec2_transit_gateway_route_table_association',
    'medium',
  ),
  deleted(
    'vpc.transit-gateway-route-table-association.delete',
    doc.DisassociateTransitGatewayRouteTable,
    res('aws_ec2_transit_gateway_route_table_association', `${TGW_RT}_${TGW_ATT}`),
    'high',
  ),
  created(
    'vpc.transit-gateway-propagation.enable',
    doc.EnableTransitGatewayRouteTablePropagation,
    'aws_ec2_transit_gateway_route_table_propagation',
    'medium',
  ),
  deleted(
    'vpc.transit-gateway-propagation.disable',
    doc.DisableTransitGatewayRouteTablePropagation,
    res('aws_ec2_transit_gateway_route_table_propagation', `${TGW_RT}_${TGW_ATT}`),
    'high',
  ),
  created('vpc.vpn-gateway.create', doc.CreateVpnGateway, 'aws_vpn_gateway', 'medium'),
  deleted(
    'vpc.vpn-gateway.delete',
    doc.DeleteVpnGateway,
    res('aws_vpn_gateway', 'vgw-0a1b2c3d4e5f60718'),
    'high',
  ),
  {
    rule: 'vpc.vpn-gateway.attach',
    record: doc.AttachVpnGateway,
    state: [res('aws_vpn_gateway', 'vgw-0a1b2c3d4e5f60718', { vpc_id: V })],
    kind: 'modified',
    severity: 'high',
    changes: { vpc_id: 'vpc-0ffffffffffff0001' },
  },
  deleted(
    'vpc.vpn-gateway.detach',
    doc.DetachVpnGateway,
    res('aws_vpn_gateway_attachment', 'vpn-attachment-1234567', {
      vpn_gateway_id: 'vgw-0a1b2c3d4e5f60718',
      vpc_id: V,
    }),
    'high',
  ),
  created('vpc.customer-gateway.create', doc.CreateCustomerGateway, 'aws_customer_gateway', 'medium'),
  deleted(
    'vpc.customer-gateway.delete',
    doc.DeleteCustomerGateway,
    res('aws_customer_gateway', 'cgw-0a1b2c3d4e5f60718'),
    'medium',
  ),
  created('vpc.vpn-connection.create', doc.CreateVpnConnection, 'aws_vpn_connection', 'high'),
  deleted(
    'vpc.vpn-connection.delete',
    doc.DeleteVpnConnection,
    res('aws_vpn_connection', 'vpn-0a1b2c3d4e5f60718'),
    'high',
  ),
  created('vpc.prefix-list.create', doc.CreateManagedPrefixList, 'aws_ec2_managed_prefix_list', 'low'),
  {
    rule: 'vpc.prefix-list.modify',
    record: doc.ModifyManagedPrefixList,
    state: [res('aws_ec2_managed_prefix_list', 'pl-0a1b2c3d4e5f60718', { name: 'office', max_entries: 10 })],
    kind: 'modified',
    severity: 'medium',
    changes: { max_entries: 20 },
  },
  deleted(
    'vpc.prefix-list.delete',
    doc.DeleteManagedPrefixList,
    res('aws_ec2_managed_prefix_list', 'pl-0a1b2c3d4e5f60718'),
    'medium',
  ),
  {
    rule: 'vpc.block-public-access.modify',
    record: doc.ModifyVpcBlockPublicAccessOptions,
    state: [
      res('aws_vpc_block_public_access_options', 'us-east-1', {
        internet_gateway_block_mode: 'block-bidirectional',
      }),
    ],
    kind: 'modified',
    severity: 'high',
    changes: { internet_gateway_block_mode: 'off' },
  },
  created(
    'vpc.traffic-mirror-filter.create',
    corpus('panther-analysis__aws_ec2_traffic_mirroring__1'),
    'aws_ec2_traffic_mirror_filter',
    'medium',
  ),
  deleted(
    'vpc.traffic-mirror-filter.delete',
    doc.DeleteTrafficMirrorFilter,
    res('aws_ec2_traffic_mirror_filter', 'tmf-0a1b2c3d4e5f60718'),
    'medium',
  ),
  created(
    'vpc.traffic-mirror-filter-rule.create',
    corpus('panther-analysis__aws_ec2_traffic_mirroring__2'),
    'aws_ec2_traffic_mirror_filter_rule',
    'medium',
  ),
  deleted(
    'vpc.traffic-mirror-filter-rule.delete',
    doc.DeleteTrafficMirrorFilterRule,
    res('aws_ec2_traffic_mirror_filter_rule', 'tmfr-0a1b2c3d4e5f60718'),
    'medium',
  ),
  created(
    'vpc.traffic-mirror-session.create',
    doc.CreateTrafficMirrorSession,
    'aws_ec2_traffic_mirror_session',
    'high',
  ),
  {
    rule: 'vpc.traffic-mirror-session.modify',
    record: corpus('panther-analysis__aws_ec2_traffic_mirroring__7'),
    state: [
      res('aws_ec2_traffic_mirror_session', 'tms-05e1e21760419ecb6', {
        traffic_mirror_target_id: 'tmt-0a45c694b91bcea54',
        traffic_mirror_filter_id: 'tmf-010db9a7d8056cc2d',
        session_number: 1,
        virtual_network_id: 12348395,
      }),
    ],
    kind: 'modified',
    severity: 'high',
    changes: { session_number: 2 },
  },
  deleted(
    'vpc.traffic-mirror-session.delete',
    doc.DeleteTrafficMirrorSession,
    res('aws_ec2_traffic_mirror_session', 'tms-0a1b2c3d4e5f60718'),
    'medium',
  ),
  created(
    'vpc.traffic-mirror-target.create',
    corpus('panther-analysis__aws_ec2_traffic_mirroring__4'),
    'aws_ec2_traffic_mirror_target',
    'medium',
  ),
  deleted(
    'vpc.traffic-mirror-target.delete',
    corpus('panther-analysis__aws_ec2_traffic_mirroring__5'),
    res('aws_ec2_traffic_mirror_target', 'tmt-0fd4b591901182794'),
    'medium',
  ),
];

describe('vpc rules', () => {
  ruleCases('rules/vpc.yaml', cases);
});
