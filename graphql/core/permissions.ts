/**
 * The one role → permission table. Every resolver class names the permissions it needs with
 * `@Authorized(...)`; the schema refuses to build if any operation or field resolver has none.
 */
export const Permission = {
  /** Anyone, signed in or not (browsing a storefront, requesting an SMS code). */
  PUBLIC: "PUBLIC",
  /** Any signed-in person. */
  SIGNED_IN: "SIGNED_IN",
  /** Buying: cart, addresses, orders of one's own. */
  SHOP_BUY: "SHOP_BUY",
  /** Running one's own store: 选品, listings, the store's orders. */
  STORE_MANAGE: "STORE_MANAGE",
  /** A supplier's catalog: products, SKUs, stock. */
  CATALOG_MANAGE: "CATALOG_MANAGE",
  /** A supplier's fulfilment: shipments to ship. */
  FULFILMENT: "FULFILMENT",
  /** Platform operation: economics, audit. */
  PLATFORM_ADMIN: "PLATFORM_ADMIN",
} as const;
export type Permission = (typeof Permission)[keyof typeof Permission];

export type Role = "CONSUMER" | "MERCHANT" | "SUPPLIER" | "OPERATOR";

export const ROLE_PERMISSIONS: Record<Role, Permission[]> = {
  CONSUMER: [Permission.SHOP_BUY],
  MERCHANT: [Permission.STORE_MANAGE],
  SUPPLIER: [Permission.CATALOG_MANAGE, Permission.FULFILMENT],
  OPERATOR: [Permission.PLATFORM_ADMIN],
};

export function permissionsFor(roles: Iterable<Role>): Set<Permission> {
  const out = new Set<Permission>([Permission.SIGNED_IN]);
  for (const role of roles) for (const p of ROLE_PERMISSIONS[role]) out.add(p);
  return out;
}
