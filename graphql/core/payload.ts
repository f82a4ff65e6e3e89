import { ClassType, Field, ObjectType, registerEnumType } from "type-graphql";
import { DomainError } from "./errors";

/**
 * Mutation payloads: `{ <result>, errors: [XError!]! }`. Rule violations become typed errors with a
 * code from the mutation's enum; anything else propagates (and is masked if unexpected).
 */
export function ErrorType<E extends Record<string, string>>(name: string, codes: E) {
  registerEnumType(codes, { name: `${name}Code` });

  @ObjectType(name)
  class XError {
    @Field(() => codes)
    code!: E[keyof E];

    @Field(() => String)
    message!: string;

    @Field(() => String, { nullable: true, description: "The input field at fault, if any" })
    field!: string | null;
  }
  return XError as ClassType<{ code: E[keyof E]; message: string; field: string | null }>;
}

export type PayloadOf<R> = { result: R | null; errors: { code: string; message: string; field: string | null }[] };

/** Runs a service call, turning DomainErrors whose code is in `codes` into payload errors. */
export async function runMutation<R>(codes: Record<string, string>, fn: () => Promise<R>): Promise<PayloadOf<R>> {
  try {
    return { result: await fn(), errors: [] };
  } catch (e) {
    if (e instanceof DomainError && e.code in codes) {
      return { result: null, errors: [{ code: e.code, message: e.message, field: e.field }] };
    }
    throw e;
  }
}

export { Field, ObjectType };
