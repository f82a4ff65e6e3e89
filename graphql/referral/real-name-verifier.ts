import { idNumberProblem, isValidChineseName } from "./real-name.rules";

/** What a verifier answers; MISMATCH is for a provider that can tell the name does not own the number. */
export type RealNameVerdict = { ok: true } | { ok: false; reason: "INVALID_NAME" | "INVALID_ID_NUMBER" | "MISMATCH"; message: string };

/**
 * Real-name verification (实名认证) behind an interface, so a real provider (公安二要素 through a
 * licensed vendor) can replace the built-in one without touching the SHARER flow. `name` is stored
 * with the record, so we can tell later which verifier vouched for a person.
 */
export interface RealNameVerifier {
  readonly name: string;
  verify(input: { name: string; idNumber: string }, now: Date): Promise<RealNameVerdict>;
}

/**
 * The built-in verifier: name format and the GB 11643 checksum with a real birth date. It cannot
 * tell whether the number belongs to the name — that is what a provider is for.
 */
export class FormatRealNameVerifier implements RealNameVerifier {
  readonly name = "builtin-format";

  async verify(input: { name: string; idNumber: string }, now: Date): Promise<RealNameVerdict> {
    if (!isValidChineseName(input.name)) return { ok: false, reason: "INVALID_NAME", message: "请填写身份证上的中文姓名" };
    const problem = idNumberProblem(input.idNumber, now);
    if (problem) {
      const message = problem === "CHECKSUM" ? "身份证号码校验位不正确" : problem === "BIRTH_DATE" ? "身份证号码中的出生日期无效" : "请填写 18 位身份证号码";
      return { ok: false, reason: "INVALID_ID_NUMBER", message };
    }
    return { ok: true };
  }
}

/**
 * The verifier in use: `services.realNameVerifier` when the runtime provides one, else the built-in.
 * (Read structurally so the runtime can add the field without this module changing.)
 */
export function realNameVerifierOf(services: unknown): RealNameVerifier {
  return (services as { realNameVerifier?: RealNameVerifier } | undefined)?.realNameVerifier ?? new FormatRealNameVerifier();
}
