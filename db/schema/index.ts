export * from "./identity";
export * from "./catalog";
export * from "./store";
export * from "./order";
export * from "./payment";
export * from "./ledger";
export * from "./platform";
export * from "./referral";
