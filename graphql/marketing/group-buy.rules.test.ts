import { describe, expect, it } from "vitest";
import fc from "fast-check";
import {
  afterSeatPaid,
  checkGroupBuyOffer,
  expiryOutcome,
  groupOrderExpiry,
  joinRefusal,
  offerState,
  peopleNeeded,
  seatsLeft,
  type GroupBuyOfferDraft,
  type GroupCounters,
} from "./group-buy.rules";

const NOW = new Date("2026-03-01T12:00:00+08:00");
const at = (ms: number) => new Date(NOW.getTime() + ms);
const HOUR = 3_600_000;

describe("checkGroupBuyOffer", () => {
  const valid: GroupBuyOfferDraft = { groupPrice: 3_000, listPrice: 5_990, minimumPrice: 2_800, groupSize: 3, timeLimitMinutes: 60, startsAt: NOW, endsAt: at(24 * HOUR), now: NOW };
  it("given a valid draft, then no problem", () => expect(checkGroupBuyOffer(valid)).toBeNull());

  const cases: [string, Partial<GroupBuyOfferDraft>, string | null, string | null][] = [
    ["price at the floor", { groupPrice: 2_800 }, null, null],
    ["price one fen below the floor", { groupPrice: 2_799 }, "PRICE_BELOW_MINIMUM", "groupPrice"],
    ["price not an integer", { groupPrice: 2_900.5 }, "PRICE_BELOW_MINIMUM", "groupPrice"],
    ["price equal to the list price", { groupPrice: 5_990 }, "PRICE_NOT_BELOW_LIST", "groupPrice"],
    ["price one fen below list", { groupPrice: 5_989 }, null, null],
    ["group of 2", { groupSize: 2 }, null, null],
    ["group of 20", { groupSize: 20 }, null, null],
    ["group of 1", { groupSize: 1 }, "INVALID_GROUP_SIZE", "groupSize"],
    ["group of 21", { groupSize: 21 }, "INVALID_GROUP_SIZE", "groupSize"],
    ["group of 2.5", { groupSize: 2.5 }, "INVALID_GROUP_SIZE", "groupSize"],
    ["5 minutes", { timeLimitMinutes: 5 }, null, null],
    ["4320 minutes", { timeLimitMinutes: 4_320 }, null, null],
    ["4 minutes", { timeLimitMinutes: 4 }, "INVALID_TIME_LIMIT", "timeLimitMinutes"],
    ["4321 minutes", { timeLimitMinutes: 4_321 }, "INVALID_TIME_LIMIT", "timeLimitMinutes"],
    ["starts 2 minutes ago", { startsAt: at(-120_000) }, "INVALID_WINDOW", "startsAt"],
    ["starts 30 s ago (clock skew)", { startsAt: at(-30_000) }, null, null],
    ["ends when it starts", { endsAt: NOW }, "INVALID_WINDOW", "endsAt"],
    ["lasts 31 days", { endsAt: at(31 * 24 * HOUR) }, "INVALID_WINDOW", "endsAt"],
    ["invalid date", { endsAt: new Date(Number.NaN) }, "INVALID_WINDOW", "startsAt"],
  ];
  it.each(cases)("given %s, then %s", (_label, change, code, field) => {
    const p = checkGroupBuyOffer({ ...valid, ...change });
    expect(p ? [p.code, p.field] : null).toEqual(code ? [code, field] : null);
  });
});

describe("offerState", () => {
  const o = { startsAt: NOW, endsAt: at(HOUR), disabledAt: null };
  it.each([
    ["before the start", at(-1), o, "UPCOMING"],
    ["at the start", NOW, o, "ACTIVE"],
    ["just before the end", at(HOUR - 1), o, "ACTIVE"],
    ["at the end", at(HOUR), o, "ENDED"],
    ["disabled while running", at(10), { ...o, disabledAt: NOW }, "DISABLED"],
  ] as const)("given %s, then %s", (_l, now, offer, state) => expect(offerState(offer, now)).toBe(state));
});

describe("group transitions", () => {
  const g = (x: Partial<GroupCounters> = {}): GroupCounters => ({ status: "OPEN", groupSize: 3, seatsTaken: 1, paidCount: 1, deadline: at(HOUR), ...x });

  it.each([
    ["an open group with a free seat", g(), null],
    ["a full group (someone still paying)", g({ seatsTaken: 3, paidCount: 2 }), "GROUP_FULL"],
    ["a group whose leader has not paid", g({ paidCount: 0 }), "GROUP_CLOSED"],
    ["a group at its deadline", g({ deadline: NOW }), "GROUP_CLOSED"],
    ["a succeeded group", g({ status: "SUCCEEDED", seatsTaken: 3, paidCount: 3 }), "GROUP_CLOSED"],
    ["a failed group", g({ status: "FAILED" }), "GROUP_CLOSED"],
  ] as const)("joining %s → %s", (_l, group, refusal) => expect(joinRefusal(group, NOW)).toBe(refusal));

  it.each([
    ["the last seat paid before the deadline", g({ seatsTaken: 3, paidCount: 2 }), NOW, "SUCCEEDED"],
    ["a seat paid with others still to come", g({ seatsTaken: 2, paidCount: 1 }), NOW, "WAITING"],
    ["the last seat paid after the deadline (the expiry refunds it)", g({ seatsTaken: 3, paidCount: 2 }), at(HOUR), "WAITING"],
    ["a seat paid in a failed group", g({ status: "FAILED", seatsTaken: 2 }), NOW, "REFUND"],
  ] as const)("paying %s → %s", (_l, group, now, outcome) => expect(afterSeatPaid(group, now)).toBe(outcome));

  it.each([
    ["open at the deadline", g({ deadline: NOW }), "FAIL"],
    ["open before the deadline", g(), "NOTHING"],
    ["succeeded", g({ status: "SUCCEEDED", deadline: NOW }), "NOTHING"],
    ["already failed (re-run)", g({ status: "FAILED", deadline: NOW }), "NOTHING"],
  ] as const)("expiry of a group %s → %s", (_l, group, outcome) => expect(expiryOutcome(group, NOW)).toBe(outcome));

  it("a group order's payment window never outlasts the group", () => {
    expect(groupOrderExpiry(NOW, at(HOUR), 15 * 60_000)).toEqual(at(15 * 60_000));
    expect(groupOrderExpiry(NOW, at(60_000), 15 * 60_000)).toEqual(at(60_000));
  });

  it("for any counters, seats left and people needed stay within 0..N", () => {
    fc.assert(
      fc.property(fc.integer({ min: 2, max: 20 }).chain((n) => fc.tuple(fc.constant(n), fc.integer({ min: 0, max: n })).chain(([n, seats]) => fc.tuple(fc.constant(n), fc.constant(seats), fc.integer({ min: 0, max: seats })))), ([n, seats, paid]) => {
        const left = seatsLeft({ groupSize: n, seatsTaken: seats });
        const needed = peopleNeeded({ groupSize: n, paidCount: paid });
        expect(left + seats).toBe(n);
        expect(needed).toBeGreaterThanOrEqual(left);
        expect(needed).toBeLessThanOrEqual(n);
        // A seat can be taken exactly when one is left.
        if (paid >= 1) expect(joinRefusal({ status: "OPEN", groupSize: n, seatsTaken: seats, paidCount: paid, deadline: at(HOUR) }, NOW) === null).toBe(left > 0);
      }),
    );
  });
});
