/**
 * The build-time guard (unguardedOperations) must see every resolver a listed class serves,
 * including field resolvers it inherits from an abstract base built by a factory — type-graphql
 * keeps those against the base class, which is never in the resolver list itself.
 */
import "reflect-metadata";
import { describe, expect, it } from "vitest";
import { Authorized, buildSchema, Field, FieldResolver, ObjectType, Query, Resolver, Root, type ClassType } from "type-graphql";
import { unguardedOperations } from "./schema";

@ObjectType("GuardProbe")
class GuardProbe {
  @Field(() => String) id!: string;
  @Field(() => String) open!: string;
  @Field(() => String) closed!: string;
}

function probeFields<T extends GuardProbe>(of: ClassType<T>) {
  @Resolver(() => of)
  abstract class ProbeFieldsBase {
    @FieldResolver(() => String)
    open(@Root() p: T) {
      return p.id;
    }

    @Authorized("SIGNED_IN")
    @FieldResolver(() => String)
    closed(@Root() p: T) {
      return p.id;
    }
  }
  return ProbeFieldsBase;
}

@Resolver(() => GuardProbe)
class ProbeFieldsResolver extends probeFields(GuardProbe) {
  @Authorized("PUBLIC")
  @Query(() => GuardProbe)
  probe() {
    return Object.assign(new GuardProbe(), { id: "p" });
  }
}

describe("unguardedOperations", () => {
  it("given a listed resolver that inherits an unguarded field resolver from a factory base, when its schema is built, then that field is reported and the guarded one is not", async () => {
    // Roles are attached to the resolver metadata when a schema is built (as getSchema does first).
    await buildSchema({ resolvers: [ProbeFieldsResolver], authChecker: () => true, validate: false });
    expect(unguardedOperations([ProbeFieldsResolver])).toEqual(["Field.open"]);
  });

  it("given the same base not served by any listed resolver, then nothing of it is reported", () => {
    expect(unguardedOperations([])).toEqual([]);
  });
});
