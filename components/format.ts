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
