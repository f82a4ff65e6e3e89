import { sql } from "drizzle-orm";
import type { Database, Db } from "@/db/client";
import { liveEvents } from "@/db/schema";

/**
 * Room events fan out through Postgres LISTEN/NOTIFY: every app instance listens on one channel and
 * hands each event to its own connected viewers, so a comment posted on one instance reaches
 * viewers connected to another. A NOTIFY sent inside a transaction is delivered only after it
 * commits (and never if it rolls back), so viewers never see an event that did not happen.
 */
export const LIVE_CHANNEL = "live_room";
/** NOTIFY payloads are limited to 8000 bytes; a larger event travels as its id and is read back. */
const MAX_INLINE_BYTES = 7_000;

/** What viewers receive. `id` is set for stored events (the SSE id a reconnecting viewer resumes from). */
export type RoomMessage = { id: number | null; liveId: string; kind: string; payload: Record<string, unknown>; at: string };

/** Stores an event in the room's log and announces it (delivered when the caller's transaction commits). */
export async function publishLiveEvent(tx: Db, liveId: string, kind: string, payload: Record<string, unknown>, now: Date): Promise<RoomMessage> {
  const [row] = await tx.insert(liveEvents).values({ liveId, kind, payload, at: now }).returning({ id: liveEvents.id });
  const message: RoomMessage = { id: Number(row.id), liveId, kind, payload, at: now.toISOString() };
  await announce(tx, message);
  return message;
}

/** Announces something viewers see but nobody replays (likes, viewer counts): not stored. */
export async function publishEphemeral(db: Db, liveId: string, kind: string, payload: Record<string, unknown>, now: Date): Promise<void> {
  await announce(db, { id: null, liveId, kind, payload, at: now.toISOString() });
}

async function announce(db: Db, message: RoomMessage) {
  const text = JSON.stringify(message);
  const body = Buffer.byteLength(text) > MAX_INLINE_BYTES ? JSON.stringify({ ref: message.id, liveId: message.liveId }) : text;
  await db.execute(sql`select pg_notify(${LIVE_CHANNEL}, ${body})`);
}

type Listener = (m: RoomMessage) => void;

/** One per app instance: receives every room's events and passes them to the viewers connected here. */
export class LiveHub {
  private readonly rooms = new Map<string, Set<Listener>>();
  private stop: (() => Promise<void>) | null = null;

  constructor(private readonly db: Db) {}

  async start(database: Pick<Database, "listen">) {
    this.stop = await database.listen(LIVE_CHANNEL, (raw) => void this.receive(raw));
  }

  private async receive(raw: string) {
    try {
      const parsed = JSON.parse(raw) as RoomMessage | { ref: number; liveId: string };
      const message = "ref" in parsed ? await this.readBack(parsed.ref) : parsed;
      if (message) this.dispatch(message);
    } catch (error) {
      console.error(`live hub: dropped a malformed event (${error instanceof Error ? error.message : "unknown"})`);
    }
  }

  private async readBack(id: number): Promise<RoomMessage | null> {
    const rows = await this.db.select().from(liveEvents).where(sql`${liveEvents.id} = ${id}`);
    const r = rows[0];
    return r ? { id: Number(r.id), liveId: r.liveId, kind: r.kind, payload: r.payload, at: r.at.toISOString() } : null;
  }

  /** Hands a message to this instance's viewers of its room (also used for per-instance ephemeral updates). */
  dispatch(message: RoomMessage) {
    for (const listener of this.rooms.get(message.liveId) ?? []) {
      try {
        listener(message);
      } catch {
        // One broken connection must not stop the others.
      }
    }
  }

  subscribe(liveId: string, listener: Listener): () => void {
    let set = this.rooms.get(liveId);
    if (!set) this.rooms.set(liveId, (set = new Set()));
    set.add(listener);
    return () => {
      set!.delete(listener);
      if (!set!.size) this.rooms.delete(liveId);
    };
  }

  /** Viewers connected to this instance, per room. */
  connected(liveId: string): number {
    return this.rooms.get(liveId)?.size ?? 0;
  }

  activeRooms(): string[] {
    return [...this.rooms.keys()];
  }

  /**
   * Every few seconds, tells this instance's viewers of each room how many people are watching
   * (counted from every instance's check-ins). Not sent through NOTIFY: each instance computes
   * the same number for its own viewers.
   */
  startPresence(count: (liveId: string) => Promise<number>, now: () => Date, everyMs = 5_000) {
    this.presence = setInterval(async () => {
      for (const liveId of this.activeRooms()) {
        try {
          this.dispatch({ id: null, liveId, kind: "VIEWERS", payload: { count: await count(liveId) }, at: now().toISOString() });
        } catch {
          // A failed count is skipped; the next tick tries again.
        }
      }
    }, everyMs);
    this.presence.unref();
  }
  private presence: NodeJS.Timeout | undefined;

  async close() {
    if (this.presence) clearInterval(this.presence);
    await this.stop?.();
    this.rooms.clear();
  }
}
