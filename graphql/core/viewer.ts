import type { Permission, Role } from "./permissions";

/** Who is asking, loaded fresh from the database on every request (bans and demotions apply at once). */
export type Viewer = {
  userId: string;
  nickname: string;
  roles: Role[];
  permissions: Set<Permission>;
  /** The supplier company this person works for, if any: all supplier data is scoped to it. */
  supplierId: string | null;
  /** The store this person owns, if any: all merchant data is scoped to it. */
  storeId: string | null;
};
