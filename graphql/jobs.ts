import type { JobHandler } from "./platform/jobs";
import { autoReceiveJob, expireOrderJob } from "./order/fulfilment.service";
import { settleOrderJob } from "./referral/settlement.service";
import { rollupTeamStatsJob } from "./referral/team-stats.service";
import { refundRateJob } from "./risk/risk.service";
import { closeFlashSaleJob } from "./marketing/flash-sale.service";
import { expirePointsJob } from "./points/points-expiry.service";
import { expireGroupJob } from "./marketing/group-buy-lifecycle.service";

/** Every job kind and its handler. */
export const jobHandlers: Record<string, JobHandler> = {
  "order.expire": expireOrderJob,
  "shipment.auto_receive": autoReceiveJob,
  "order.settle": settleOrderJob,
  "team.rollup": rollupTeamStatsJob,
  "risk.refund_rate": refundRateJob,
  "flash.close": closeFlashSaleJob,
  "points.expire": expirePointsJob,
  "group.expire": expireGroupJob,
};
