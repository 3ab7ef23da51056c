import { openApiDocument } from '../../api/openapi';
import { createSettlementSchema } from '../../api/schemas';
import { identityRoutes } from '../../api/identity-routes';
import { settlementRoutes } from '../../api/settlement-routes';

// The OpenAPI document must list exactly the API's routes, and describe the request body the
// server validates.
test('every /api route is documented, and every documented /api path exists', () => {
  type Routes = { stack: Array<{ route?: { path: string; methods: Record<string, boolean> } }> };
  const routers = [settlementRoutes({} as never, { TEMPORAL_NAMESPACE: 'default' } as never), identityRoutes({} as never)] as unknown as Routes[];
  const served = routers
    .flatMap((r) => r.stack)
    .filter((l) => l.route)
    .flatMap((l) => Object.keys(l.route!.methods).map((m) => `${m} /api${l.route!.path.replace(/:(\w+)/g, '{$1}')}`))
    .sort();
  const doc = openApiDocument();
  const documented = Object.entries(doc.paths)
    .filter(([p]) => p.startsWith('/api/') && p !== '/api/openapi.json')
    .flatMap(([p, ops]) => Object.keys(ops as object).map((m) => `${m} ${p}`))
    .sort();
  expect(documented).toEqual(served);
});

test('the documented settlement body has the validated fields and required ones', () => {
  const doc = openApiDocument() as any;
  const schema = doc.components.schemas.CreateSettlement;
  const inner = (createSettlementSchema as any)._def.schema.shape;
  expect(Object.keys(schema.properties).sort()).toEqual(Object.keys(inner).sort());
  expect(schema.required).toEqual(['operator', 'payRequest']);
  expect(doc.components.schemas.Operator.properties.opter_type.enum).toEqual(['4', '5']);
});
