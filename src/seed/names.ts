/**
 * Word lists for the demo region: common Swedish names (SCB's most frequent names, split by
 * generation so that an 88-year-old is called Margareta rather than Wilma), professions with
 * their Swedish titles, and the parts unit names are built from. No street addresses.
 */

/** Given names common among women born before about 1965. */
// prettier-ignore
export const femaleNamesOlder = [
  'Margareta', 'Birgitta', 'Ingrid', 'Ulla', 'Kerstin', 'Gunilla', 'Elisabeth', 'Marianne', 'Barbro', 'Karin',
  'Inger', 'Britt', 'Gun', 'Anita', 'Eva', 'Christina', 'Ann-Marie', 'Siv', 'Maj', 'Solveig',
  'Astrid', 'Elsa', 'Gunnel', 'Monica', 'Agneta', 'Lena', 'Berit', 'Ingegerd', 'Sonja', 'Majvor',
] as const;

/** Given names common among women born from about 1965. */
// prettier-ignore
export const femaleNamesYounger = [
  'Anna', 'Maria', 'Sara', 'Emma', 'Johanna', 'Linda', 'Jenny', 'Malin', 'Sofia', 'Hanna',
  'Camilla', 'Jessica', 'Frida', 'Elin', 'Ida', 'Julia', 'Emelie', 'Amanda', 'Lisa', 'Matilda',
  'Wilma', 'Alice', 'Ebba', 'Maja', 'Astrid', 'Klara', 'Nora', 'Alva', 'Saga', 'Ella',
] as const;

/** Given names common among men born before about 1965. */
// prettier-ignore
export const maleNamesOlder = [
  'Lars', 'Karl', 'Bengt', 'Gunnar', 'Sven', 'Bo', 'Göran', 'Rolf', 'Lennart', 'Kjell',
  'Bertil', 'Stig', 'Leif', 'Åke', 'Ingvar', 'Rune', 'Hans', 'Per', 'Jan', 'Ulf',
  'Kent', 'Gösta', 'Olle', 'Erik', 'Nils', 'Arne', 'Tore', 'Sture', 'Roland', 'Curt',
] as const;

/** Given names common among men born from about 1965. */
// prettier-ignore
export const maleNamesYounger = [
  'Johan', 'Andreas', 'Mikael', 'Daniel', 'Fredrik', 'Anders', 'Magnus', 'Stefan', 'Marcus', 'Jonas',
  'Mattias', 'Niklas', 'Martin', 'Henrik', 'Patrik', 'Alexander', 'Oscar', 'William', 'Lucas', 'Elias',
  'Hugo', 'Liam', 'Noah', 'Adam', 'Viktor', 'Filip', 'Isak', 'Axel', 'Emil', 'Oliver',
] as const;

/** The most common Swedish family names. */
// prettier-ignore
export const familyNames = [
  'Andersson', 'Johansson', 'Karlsson', 'Nilsson', 'Eriksson', 'Larsson', 'Olsson', 'Persson', 'Svensson', 'Gustafsson',
  'Pettersson', 'Jonsson', 'Jansson', 'Hansson', 'Bengtsson', 'Jönsson', 'Lindberg', 'Jakobsson', 'Magnusson', 'Olofsson',
  'Lindström', 'Lindqvist', 'Lindgren', 'Axelsson', 'Berg', 'Bergström', 'Lundberg', 'Lind', 'Lundgren', 'Lundqvist',
  'Mattsson', 'Berglund', 'Fredriksson', 'Sandberg', 'Henriksson', 'Forsberg', 'Sjöberg', 'Wallin', 'Ali', 'Engström',
  'Mohammed', 'Eklund', 'Danielsson', 'Lundin', 'Håkansson', 'Björk', 'Bergman', 'Gunnarsson', 'Holm', 'Wikström',
  'Samuelsson', 'Isaksson', 'Fransson', 'Bergqvist', 'Nyström', 'Holmberg', 'Arvidsson', 'Löfgren', 'Söderberg', 'Nyberg',
] as const;

/** Profession codes (staff.profession) and the Swedish title a person of that profession usually has. */
export const professions = {
  lakare: 'Läkare',
  sjukskoterska: 'Sjuksköterska',
  distriktsskoterska: 'Distriktssköterska',
  underskoterska: 'Undersköterska',
  fysioterapeut: 'Fysioterapeut',
  arbetsterapeut: 'Arbetsterapeut',
  kurator: 'Kurator',
  psykolog: 'Psykolog',
  dietist: 'Dietist',
  administrator: 'Medicinsk sekreterare',
} as const;
export type Profession = keyof typeof professions;

/** Treating-role titles (behandlande roller, Region Gävleborg, handlingsplan Patientkontrakt 2021), also used as staff titles. */
export const treatingTitles = {
  diabetes: 'Diabetessjuksköterska',
  kol: 'Astma/KOL-sjuksköterska',
  hjartsvikt: 'Hjärtsviktssjuksköterska',
  cancer: 'Kontaktsjuksköterska',
  demens: 'Demenssjuksköterska',
} as const;

/** Place names of the fictitious Region Exempelland: the three municipalities and their districts. */
export const municipalities = [
  { code: '1', name: 'Exempelstad', provider: 'Exempelstads kommun', areaCode: '0150' },
  { code: '2', name: 'Ekby', provider: 'Ekby kommun', areaCode: '0151' },
  { code: '3', name: 'Björkvik', provider: 'Björkviks kommun', areaCode: '0152' },
] as const;

/** District names for vårdcentraler ("Vårdcentralen …"). */
export const districtNames = [
  'Centrum',
  'Söder',
  'Norr',
  'Ekbacken',
  'Ekby',
  'Sjöudden',
  'Björkvik',
] as const;

/** Names of special housing for the elderly (SÄBO). */
export const saboNames = ['Lindgården', 'Solbacken', 'Ekhagen', 'Björkhemmet'] as const;

/** Clinics at the region's hospital, Exempelstads sjukhus. */
export const clinicNames = {
  medicin: 'Medicinmottagningen',
  kardiologi: 'Hjärtmottagningen',
  lung: 'Lungmottagningen',
  diabetes: 'Diabetesmottagningen',
  geriatrik: 'Geriatriska mottagningen',
  rehab: 'Ortopedi- och rehabmottagningen',
  onkologi: 'Onkologimottagningen',
} as const;
export type Clinic = keyof typeof clinicNames;
