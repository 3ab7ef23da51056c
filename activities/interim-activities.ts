import type { Outcome, PersonInfoAnswer } from '../activities/contract';

// INTERIM (core branch only): minimal stand-ins for contract activities that the "national" branch
// implements for real (1101 queryPersonInfo, 2601 reverseInsuranceRefund). They are registered BEFORE
// the platform activities, so the real ones replace them as soon as they exist. Delete at merge.
export const interimActivities = {
  /** 1101 not wired yet: "not supported", so the workflow uses the configured default insuplc_admdvs. */
  async queryPersonInfo(): Promise<PersonInfoAnswer> {
    return { kind: 'business', message: '1101 is not available in this build (interim)' };
  },
  /** 2601 not wired yet: an unknown outcome, so a refund whose 2208 was unanswered goes to review. */
  async reverseInsuranceRefund(): Promise<Outcome> {
    return { kind: 'unknown', msgid: '', reason: '2601 is not available in this build (interim)' };
  },
};
