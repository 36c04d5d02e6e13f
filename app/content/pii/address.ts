// Street addresses, in the handful of shapes common in English and in
// western European languages. Street names must be capitalised: that is what
// separates "12 Baker Street" from "3 different ways" in ordinary prose.
import type { Candidate } from "./context";

const NOT_AFTER = "(?<![\\p{L}\\p{N}_.,:/#-])";
const NOT_BEFORE = "(?![\\p{L}\\p{N}]|[.,]\\d)";
const NAME = "\\p{Lu}[\\p{L}'’.-]*";
const SUFFIX =
  "Street|St|Avenue|Ave|Road|Rd|Lane|Ln|Boulevard|Blvd|Drive|Dr|Way|Court|Ct|Place|Pl|Terrace|Close|Crescent|Square|Sq|Parkway|Pkwy|Highway|Hwy";

const PATTERNS = [
  // 221B Baker Street, 1600 Pennsylvania Ave
  `${NOT_AFTER}\\d{1,5}[A-Za-z]?(?: ${NAME}){1,4}? (?:${SUFFIX})\\b\\.?`,
  // Hauptstraße 12, Bahnhofstr. 3, Kerkstraat 5, Berliner Straße 7
  `${NOT_AFTER}(?:${NAME}(?:straße|strasse|str\\.|weg|gasse|platz|allee|straat|laan|gracht|plein)|${NAME} (?:Straße|Strasse|Weg|Gasse|Platz|Allee)) {1,2}\\d{1,4}[a-z]?${NOT_BEFORE}`,
  // 12 rue de la Paix, 3 bis avenue Foch
  `${NOT_AFTER}\\d{1,4}(?: (?:bis|ter))?,? (?:[Rr]ue|[Aa]venue|[Bb]oulevard|[Bb]d|[Pp]lace|[Cc]hemin|[Ii]mpasse|[Aa]llée|[Qq]uai) (?:(?:de la|de l'|du|des|de|d') ?)?${NAME}`,
  // Via Roma 5, Calle Mayor 10, Piazza San Marco 1
  `${NOT_AFTER}(?:Via|Viale|Piazza|Corso|Largo|Calle|Avenida|Plaza|Paseo|Carrer|Rua) (?:(?:del|della|dei|di|de|la|las|los|dos|das|do) )?${NAME}(?: ${NAME}){0,2},? \\d{1,4}[a-z]?${NOT_BEFORE}`,
].map((source) => new RegExp(source, "gu"));

export function findAddresses(text: string): Candidate[] {
  return PATTERNS.flatMap((pattern) => [...text.matchAll(pattern)].map((m) => ({ start: m.index, end: m.index + m[0].length })));
}
