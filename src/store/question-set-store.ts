/** Question sets (frågebatterier) are versioned data; see migrations/002_question_sets.sql. */
import type { Queryable } from './db.ts';

export interface Question {
  id: string;
  text: string;
  answerType: 'ja-nej' | 'text';
  fills?: string;
}

export interface QuestionSet {
  id: string;
  version: number;
  name: string;
  audience: 'patient' | 'vardgivare' | 'personal';
  source: string;
  questions: Question[];
}

export function createQuestionSetStore(db: Queryable) {
  return {
    /** The newest version of every question set. */
    async listCurrent(): Promise<QuestionSet[]> {
      return db.query<QuestionSet>(
        `select distinct on (id) id, version, name, audience, source, questions
         from question_set order by id, version desc`,
      );
    },

    async find(id: string, version: number): Promise<QuestionSet | null> {
      const rows = await db.query<QuestionSet>(
        'select id, version, name, audience, source, questions from question_set where id = $1 and version = $2',
        [id, version],
      );
      return rows[0] ?? null;
    },
  };
}

export type QuestionSetStore = ReturnType<typeof createQuestionSetStore>;
