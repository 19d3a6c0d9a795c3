// REST contracts of the realtime channel's moderation: the site-wide word list and the audience
// numbers staff read after a broadcast.
import { Type, type Static } from 'typebox';
import { Body } from './common.ts';

/** A word or phrase refused in questions and chat; matched after folding case, width and spaces. */
export const FilteredWord = Type.String({ minLength: 1, maxLength: 50 });

export const WordList = Type.Object({ words: Type.Array(Type.String()) }, { $id: 'WordList' });
export type WordList = Static<typeof WordList>;

export const PutWordListBody = Body(
  { words: Type.Array(FilteredWord, { maxItems: 1000 }) },
  { description: 'The whole list: it replaces the one stored. Blanks and duplicates are dropped.' },
);

export const Audience = Type.Object(
  {
    likes: Type.Integer({ minimum: 0 }),
    viewersPeak: Type.Integer({ minimum: 0, description: 'Most sockets open on the channel at once, over every process' }),
    viewersTotal: Type.Integer({ minimum: 0, description: 'Distinct devices that opened the channel' }),
    questions: Type.Integer({ minimum: 0, description: 'Questions asked, hidden ones included' }),
    answered: Type.Integer({ minimum: 0 }),
  },
  { $id: 'Audience' },
);
export type Audience = Static<typeof Audience>;
