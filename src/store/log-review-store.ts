/** The conclusions of log reviews (loggkontroll, `log_review`), kept per care provider. */
import type { Queryable } from './db.ts';

export type LogReviewKind = 'stickprov' | 'riktad' | 'nodatkomst';

export interface NewLogReview {
  reviewerId: string;
  reviewerUnitId: string;
  kind: LogReviewKind;
  filter: string;
  entrySeqs: number[];
  conclusion: string;
  isRemark: boolean;
}

export interface LogReview {
  id: string;
  reviewerId: string;
  reviewedAt: string;
  kind: LogReviewKind;
  filter: string;
  entrySeqs: number[];
  conclusion: string;
  isRemark: boolean;
}

export function createLogReviewStore(db: Queryable) {
  return {
    /** Records a review's conclusion; returns its id. */
    async record(review: NewLogReview): Promise<string> {
      const rows = await db.query<{ id: string }>(
        `insert into log_review (reviewer_id, reviewer_unit_id, kind, filter, entry_seqs, conclusion, is_remark)
         values ($1, $2, $3, $4, $5, $6, $7) returning id`,
        [
          review.reviewerId,
          review.reviewerUnitId,
          review.kind,
          review.filter,
          review.entrySeqs,
          review.conclusion,
          review.isRemark,
        ],
      );
      return rows[0]!.id;
    },

    /** The reviews recorded from the units of one care provider, newest first. */
    async listForProvider(providerId: string, limit: number): Promise<LogReview[]> {
      return db.query<LogReview>(
        `select r.id, r.reviewer_id as "reviewerId", r.reviewed_at as "reviewedAt", r.kind, r.filter,
           r.entry_seqs as "entrySeqs", r.conclusion, r.is_remark as "isRemark"
         from log_review r join care_unit u on u.id = r.reviewer_unit_id
         where u.provider_id = $1 order by r.reviewed_at desc limit $2`,
        [providerId, limit],
      );
    },
  };
}

export type LogReviewStore = ReturnType<typeof createLogReviewStore>;
