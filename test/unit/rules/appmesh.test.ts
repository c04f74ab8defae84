// rules/appmesh.yaml: Cloud Custodian's CreateMesh/CreateVirtualGateway/CreateVirtualNode records
// (corpus), doc-shaped records for the rest (test/fixtures/rules/appmesh/events.doc-shaped.json).
// Child resources are found by the ARN in the response's metadata.

import { describe } from 'vitest';
import { created, deleted, modified, res } from './case-builders.js';
import { corpusCopy, docRecords, type RuleCase, ruleCases } from './rule-cases.js';

const doc = docRecords('appmesh', 'appmesh.amazonaws.com');
const corpusRecord = corpusCopy('appmesh');
const custodian = (name: string) => corpusRecord(`cloud-custodian/tests/data/cwe/event-appmesh-${name}.json`);

const ARN = 'arn:aws:appmesh:us-east-1:111122223333:mesh/m1';
const child = (type: string, path: string, extra = {}) =>
  res(type, `uid-${path}`, { arn: `${ARN}/${path}`, mesh_name: 'm1', tags: { env: 'prod' }, ...extra });
const mesh = (type = 'DROP_ALL') =>
  res('aws_appmesh_mesh', 'm1', { arn: ARN, name: 'm1', spec: [{ egress_filter: [{ type }] }] });
const node = () => child('aws_appmesh_virtual_node', 'virtualNode/vn1', { name: 'vn1' });
const gateway = () => child('aws_appmesh_virtual_gateway', 'virtualGateway/g1', { name: 'g1' });

const cases: RuleCase[] = [
  created('appmesh.mesh.create', custodian('create-mesh'), 'aws_appmesh_mesh'),
  modified(
    'appmesh.mesh.update',
    doc.UpdateMesh,
    mesh(),
    'high',
    { 'spec[0].egress_filter[0].type': 'ALLOW_ALL' },
    mesh('ALLOW_ALL'),
  ),
  deleted('appmesh.mesh.delete', doc.DeleteMesh, mesh()),
  created('appmesh.virtual-node.create', custodian('create-virtualnode'), 'aws_appmesh_virtual_node'),
  modified('appmesh.virtual-node.update', doc.UpdateVirtualNode, node(), 'medium', []),
  deleted('appmesh.virtual-node.delete', doc.DeleteVirtualNode, node()),
  created(
    'appmesh.virtual-gateway.create',
    custodian('create-virtualgateway'),
    'aws_appmesh_virtual_gateway',
  ),
  modified('appmesh.virtual-gateway.update', doc.UpdateVirtualGateway, gateway(), 'medium', []),
  deleted('appmesh.virtual-gateway.delete', doc.DeleteVirtualGateway, gateway()),
  created('appmesh.routing.create', doc.CreateRoute, 'aws_appmesh_route'),
  modified(
    'appmesh.routing.update',
    doc.UpdateRoute,
    child('aws_appmesh_route', 'virtualRouter/vr1/route/r1', { name: 'r1' }),
    'medium',
    [],
  ),
  deleted(
    'appmesh.routing.delete',
    doc.DeleteVirtualService,
    child('aws_appmesh_virtual_service', 'virtualService/api.local', { name: 'api.local' }),
  ),
  modified('appmesh.tags.add', doc.TagResource, node(), 'low', { 'tags.owner': 'mallory' }),
  modified('appmesh.tags.remove', doc.UntagResource, node(), 'low', { 'tags.env': null }),
];

describe('rules/appmesh.yaml', () => {
  ruleCases('rules/appmesh.yaml', cases);
});
