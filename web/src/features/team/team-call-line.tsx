/**
 * "Ditt mobila team — ring dygnet runt: 010-…": the one line that tells a patient (or the staff
 * reading the plan) where to call the patient's mobile team, with the number as a tel: link.
 */
import { useTranslation } from 'react-i18next';
import type { PatientTeam } from '../../api/mobile-care-types.ts';
import { useApi } from '../../api/use-api.ts';
import '../assessment/mobile-care.css';

export const telHref = (phone: string): string => `tel:${phone.replace(/[^\d+]/g, '')}`;

export function TeamCallLine({
  team,
  voice,
}: {
  team: PatientTeam | null | undefined;
  voice: 'patient' | 'staff';
}) {
  const { t } = useTranslation();
  if (!team?.answersNow) return null;
  return (
    <p className="team-call">
      <span className="team-call-label">
        {voice === 'patient'
          ? t('mobileTeam.callAroundLabel', { team: team.publicName })
          : t('mobileTeam.callAroundStaffLabel', { team: team.publicName })}
      </span>{' '}
      <a className="team-call-phone" href={telHref(team.answersNow.phone)}>
        {team.answersNow.phone}
      </a>
    </p>
  );
}

/** The line for a patient, fetched on its own: nothing when the patient has no team. */
export function PatientTeamCallLine({ patientId, voice }: { patientId: string; voice: 'patient' | 'staff' }) {
  const care = useApi<{ team: PatientTeam | null }>(`/api/patients/${patientId}/mobile-care`);
  return <TeamCallLine team={care.data?.team} voice={voice} />;
}
