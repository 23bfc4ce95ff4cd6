/**
 * Times as the people on call say them: "i dag 14:00", "8 december 14:00", on the Swedish wall
 * clock whatever the device's time zone (src/domain/swedish-time.ts).
 */
import type { TFunction } from 'i18next';
import {
  swedishDayOf,
  swedishTimeOfDay,
  swedishToday,
  swedishWallClockMs,
} from '../../../../src/domain/swedish-time.ts';
import { formatDate } from '../../components/format.ts';

export function formatWhen(iso: string | null | undefined, t: TFunction, lng: string): string {
  if (!iso) return '';
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) return iso;
  const day = swedishDayOf(ms);
  const time = swedishTimeOfDay(ms);
  return day === swedishToday(new Date())
    ? t('mobileTeam.time.today', { time })
    : t('mobileTeam.time.other', { day: formatDate(day, lng), time });
}

/** A Swedish day and wall-clock time from the form ("2026-12-07", "14:00") as an ISO instant. */
export function instantOfSwedish(day: string, time: string): string | null {
  const d = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day);
  const hm = /^(\d{2}):(\d{2})$/.exec(time);
  if (!d || !hm) return null;
  return new Date(
    swedishWallClockMs(Number(d[1]), Number(d[2]), Number(d[3]), Number(hm[1]), Number(hm[2])),
  ).toISOString();
}
