import { describe, expect, it } from "vitest";
import {
  getNamedType,
  isInterfaceType,
  isObjectType,
  type GraphQLInterfaceType,
  type GraphQLNamedType,
  type GraphQLObjectType,
  type GraphQLSchema,
} from "graphql";
import { getMetadataStorage } from "type-graphql";
import { Permission } from "./core/permissions";
import { getSchema } from "./schema";
import { printSdl } from "./sdl";

/** Field names that would leak what the merchant pays or earns. */
const COST_LIKE = /supply|cost|margin|commission/i;
/** Types the storefront and the buyer's pages return: they must never carry cost fields. */
const CONSUMER_TYPES = ["ShopProduct", "ShopSku", "ShopOrder", "ShopOrderLine", "Cart", "CartLine", "CheckoutPreview", "CheckoutPreviewLine", "ShopStore"];

/** Every output type reachable from the given root fields (an interface brings its implementations). */
function reachableTypes(schema: GraphQLSchema, roots: { type: GraphQLObjectType; fields: string[] }[]): Map<string, GraphQLNamedType> {
  const seen = new Map<string, GraphQLNamedType>();
  const visit = (t: GraphQLNamedType) => {
    if (seen.has(t.name)) return;
    seen.set(t.name, t);
    if (isInterfaceType(t)) for (const impl of schema.getPossibleTypes(t)) visit(impl);
    if (isObjectType(t) || isInterfaceType(t)) {
      for (const field of Object.values((t as GraphQLObjectType | GraphQLInterfaceType).getFields())) visit(getNamedType(field.type));
    }
  };
  for (const root of roots) for (const name of root.fields) visit(getNamedType(root.type.getFields()[name].type));
  return seen;
}

describe("the committed SDL", () => {
  it("given the built schema, then it matches graphql/schema.graphql (update with `npx vitest run graphql/sdl.test.ts -u`)", async () => {
    await expect(await printSdl()).toMatchFileSnapshot("./schema.graphql");
  });
});

describe("consumer-facing types carry no cost, margin or commission", () => {
  it("given every operation open to the public or to buyers, then no type it can reach has a cost-like field", async () => {
    const schema = await getSchema();
    const storage = getMetadataStorage();
    const forBuyers = (roles: unknown[] | undefined) =>
      !!roles?.some((r) => r === Permission.PUBLIC || r === Permission.SIGNED_IN || r === Permission.SHOP_BUY);
    const queries = storage.queries.filter((q) => forBuyers(q.roles)).map((q) => q.schemaName);
    const mutations = storage.mutations.filter((m) => forBuyers(m.roles)).map((m) => m.schemaName);
    expect(queries).toEqual(expect.arrayContaining(["shopProducts", "shopProduct", "myOrders", "myOrder", "myCart", "checkoutPreview"]));

    const reachable = reachableTypes(schema, [
      { type: schema.getQueryType()!, fields: queries },
      { type: schema.getMutationType()!, fields: mutations },
    ]);

    expect([...reachable.keys()]).toEqual(expect.arrayContaining(CONSUMER_TYPES));
    const leaks = [...reachable.values()]
      .filter((t) => isObjectType(t) || isInterfaceType(t))
      .flatMap((t) => Object.keys((t as GraphQLObjectType).getFields()).filter((f) => COST_LIKE.test(f)).map((f) => `${t.name}.${f}`));
    expect(leaks).toEqual([]);
    for (const name of ["MerchantOrder", "MerchantOrderLine", "MerchantListingSku", "SupplierSku", "SupplierShipmentLine", "CatalogSku"]) {
      expect(reachable.has(name), `${name} must not be reachable by buyers`).toBe(false);
    }
  });

  it("given the merchant's and supplier's own types, then they do show their margin and supply price (the check above can see them)", async () => {
    const schema = await getSchema();
    const fieldsOf = (name: string) => Object.keys((schema.getType(name) as GraphQLObjectType).getFields());
    expect(fieldsOf("MerchantOrderLine").filter((f) => COST_LIKE.test(f))).toEqual(expect.arrayContaining(["unitSupplyPrice", "grossMargin"]));
    expect(fieldsOf("SupplierSku")).toContain("supplyPrice");
  });
});
