import { createContext, useContext } from 'react';
import { useTranslation } from 'react-i18next';

/**
 * Whose plan is read, for the words: the patient is "du" ("Ditt nästa steg"); a närstående
 * reads about the patient by first name ("Nästa steg för Elsa").
 */
export interface Voice {
  isProxy: boolean;
  /** The patient's first name, for a närstående. */
  name: string;
}

export const VoiceContext = createContext<Voice>({ isProxy: false, name: '' });

/** Each phrase that changes with the reader: [the patient's own words, a närstående's]. */
const phrases = {
  nextTitle: ['myPlan.next.title', 'myPlan.proxyVoice.nextTitle'],
  nextNone: ['myPlan.next.none', 'myPlan.proxyVoice.nextNone'],
  nextNoneHint: ['myPlan.next.noneHint', 'myPlan.proxyVoice.nextNoneHint'],
  nextAgreed: ['myPlan.next.agreed', 'myPlan.proxyVoice.nextAgreed'],
  nextChangeRequested: ['myPlan.next.changeRequested', 'myPlan.proxyVoice.nextChangeRequested'],
  contactTitle: ['myPlan.contact.title', 'myPlan.proxyVoice.contactTitle'],
  contactFast: ['myPlan.contact.fastVardkontakt', 'myPlan.proxyVoice.contactFast'],
  contactFastHint: ['myPlan.contact.fastHint', 'myPlan.proxyVoice.contactFastHint'],
  contactNoFast: ['myPlan.contact.noFast', 'myPlan.proxyVoice.contactNoFast'],
  contactOthers: ['myPlan.contact.others', 'myPlan.proxyVoice.contactOthers'],
  ifWorseTitle: ['myPlan.ifWorse.title', 'myPlan.proxyVoice.ifWorseTitle'],
  ifWorseAgreed: ['myPlan.ifWorse.agreed', 'myPlan.proxyVoice.ifWorseAgreed'],
  responsibilitiesTitle: ['myPlan.responsibilities.title', 'myPlan.proxyVoice.responsibilitiesTitle'],
  responsibilitiesNone: ['myPlan.responsibilities.none', 'myPlan.proxyVoice.responsibilitiesNone'],
  whatMatters: ['myPlan.agreement.whatMatters', 'myPlan.proxyVoice.whatMatters'],
  goals: ['myPlan.agreement.goals', 'myPlan.proxyVoice.goals'],
  ownWords: ['myPlan.yourWords', 'myPlan.proxyVoice.ownWords'],
  proposal: ['myPlan.agreement.yourProposal', 'myPlan.proxyVoice.proposal'],
  plansTitle: ['myPlan.plans.title', 'myPlan.proxyVoice.plansTitle'],
  plansNone: ['myPlan.plans.none', 'myPlan.proxyVoice.plansNone'],
  timelineTitle: ['myPlan.timeline.title', 'myPlan.proxyVoice.timelineTitle'],
  planNone: ['myPlan.plan.none', 'myPlan.proxyVoice.planNone'],
} as const;

export type Phrase = keyof typeof phrases;

/** `say('nextTitle')`: the phrase in the voice of whoever reads the plan. */
export function useSay(): (phrase: Phrase) => string {
  const { t } = useTranslation();
  const { isProxy, name } = useContext(VoiceContext);
  return (phrase) => t(phrases[phrase][isProxy ? 1 : 0], { name });
}
