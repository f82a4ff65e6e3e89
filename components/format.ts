/** Display helpers shared by server and client components. Times are shown in Asia/Shanghai. */
const dateTime = new Intl.DateTimeFormat("zh-CN", {
  timeZone: "Asia/Shanghai",
  year: "numeric",
  month: "2-digit",
  day: "2-digit",
  hour: "2-digit",
  minute: "2-digit",
  hour12: false,
});

export function formatTime(value: string | Date | null | undefined): string {
  if (!value) return "";
  return dateTime.format(new Date(value));
}

export function yuan(fen: number): string {
  return (fen / 100).toFixed(2);
}

export const ORDER_STATUS_TABS = [
  { key: "", label: "全部" },
  { key: "PENDING_PAYMENT", label: "待付款" },
  { key: "PAID", label: "待发货" },
  { key: "SHIPPED", label: "待收货" },
  { key: "COMPLETED", label: "已完成" },
] as const;

export const SHIPMENT_STATUS_TEXT: Record<string, string> = {
  AWAITING_SHIPMENT: "待发货",
  SHIPPED: "已发货",
  RECEIVED: "已签收",
};

/** Asia/Shanghai is UTC+8 all year (no daylight saving). */
const SHANGHAI_OFFSET_MS = 8 * 3_600_000;

/** An instant as a <input type="datetime-local"> value in Asia/Shanghai: "2025-06-18T20:00". */
export function toShanghaiInput(value: string | Date): string {
  return new Date(new Date(value).getTime() + SHANGHAI_OFFSET_MS).toISOString().slice(0, 16);
}

/** A datetime-local value read as Asia/Shanghai time, as an ISO instant; null when malformed. */
export function fromShanghaiInput(value: string): string | null {
  const m = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2})(:\d{2})?$/.exec(value.trim());
  if (!m) return null;
  const date = new Date(`${m[1]}${m[2] ?? ":00"}+08:00`);
  return Number.isNaN(date.getTime()) ? null : date.toISOString();
}
