"use client";

import { yuan } from "@/components/format";
import { SpecialPriceForm, type SkuOption } from "@/components/special-price-form";

export type GroupSkuOption = SkuOption;

/** New group buy: a SKU, a group price, the group size, the minutes a group has to fill, a window. */
export function GroupOfferForm({ options, defaultStart, defaultEnd }: { options: GroupSkuOption[]; defaultStart: string; defaultEnd: string }) {
  return (
    <SpecialPriceForm
      options={options}
      defaultStart={defaultStart}
      defaultEnd={defaultEnd}
      mutation={`mutation($input: CreateGroupBuyOfferInput!) { createGroupBuyOffer(input: $input) { offer { id } errors { code message field } } }`}
      payloadField="createGroupBuyOffer"
      priceField="groupPrice"
      priceLabel="拼团价"
      counts={[
        { name: "groupSize", label: "成团人数", initial: "2", min: 2, max: 20, missing: "请输入成团人数" },
        { name: "timeLimitMinutes", label: "成团时限（分钟）", initial: "1440", min: 5, max: 4320, missing: "请输入成团时限（分钟）" },
      ]}
      // A SKU can be offered for groups only when there is room between its floor and its price.
      usable={(o) => o.minRetailPrice < o.retailPrice}
      hint={(o) => `店铺售价 ¥${yuan(o.retailPrice)}，拼团价需不低于 ¥${yuan(o.minRetailPrice)} 且低于售价`}
      note="买家付款开团、分享好友参团，凑齐人数即成团发货；到时未成团的订单自动全额退款（含运费）。活动期内开的团均有完整的成团时限。"
      savedText="拼团活动已创建"
      submitText="创建拼团"
    />
  );
}
