import { describe, expect, it } from "vitest";
import type { RoomShelfBase } from "./room-types";
import { initialRoom, roomReducer, type RoomState } from "./use-room-events";

type Room = RoomState<RoomShelfBase>;

const live = (status: string): Room =>
  initialRoom<RoomShelfBase>({ id: "l1", status, pinnedProductId: null, shelf: [{ productId: "p1", onShelf: true, skus: [] }], comments: [], likeCount: 0, endReason: null, announcement: null });
const event = (state: Room, kind: string, data: Record<string, unknown> = {}) => roomReducer(state, { type: "event", kind, data, me: null });
const server = (state: Room, status: string, endReason: string | null = null) => roomReducer(state, { type: "server", status, endReason });

describe("roomReducer: server data after a refresh", () => {
  it("given the host pinned a product after START while the refresh was in flight, when the refresh's older data arrives, then the pin stays", () => {
    const pinned = event(event(live("SCHEDULED"), "START"), "PIN", { productId: "p1" });

    const after = server(pinned, "LIVE");

    expect(after).toBe(pinned);
    expect(after.pinnedProductId).toBe("p1");
  });

  it.each<[string, string, string, string]>([
    ["a scheduled room whose start the stream missed", "SCHEDULED", "LIVE", "LIVE"],
    ["a live room whose end the stream missed", "LIVE", "ENDED", "ENDED"],
    ["a scheduled room called off", "SCHEDULED", "CANCELLED", "CANCELLED"],
    ["a live room handed a page rendered before it started", "LIVE", "SCHEDULED", "LIVE"],
    ["an ended room handed a page rendered while it was live", "ENDED", "LIVE", "ENDED"],
  ])("given %s (%s), when the server says %s, then the room is %s", (_, from, to, expected) => {
    expect(server(live(from), to).status).toBe(expected);
  });

  it("given a live room with a pinned product, when the server says it ended, then nothing is pinned and the reason shows", () => {
    const pinned = event(live("LIVE"), "PIN", { productId: "p1" });

    const ended = server(pinned, "ENDED", "HOST_ENDED");

    expect([ended.status, ended.pinnedProductId, ended.endReason]).toEqual(["ENDED", null, "HOST_ENDED"]);
  });
});

describe("roomReducer: 全员禁言", () => {
  it.each<[string, boolean | undefined, Record<string, unknown>, boolean]>([
    ["a room with comments open, when the host mutes everyone", false, { muted: true }, true],
    ["a muted room, when the host switches it off", true, { muted: false }, false],
    ["a room whose page predates the field, when the host mutes everyone", undefined, { muted: true }, true],
    ["a muted room, when an event carries no flag", true, {}, false],
  ])("given %s (muted %s, event %o), then muted is %s", (_, start, data, expected) => {
    const room = initialRoom<RoomShelfBase>({ id: "l1", status: "LIVE", pinnedProductId: null, shelf: [], comments: [], likeCount: 0, endReason: null, announcement: null, commentsMuted: start });
    expect(room.commentsMuted).toBe(start ?? false);

    expect(event(room, "MUTE_ALL", data).commentsMuted).toBe(expected);
  });
});
