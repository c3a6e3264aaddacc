// The four kinds a patient starts (docs/dialogs.md): the shortcut's name, its description on Start
// helsehjelp, the form's lead text and what the Beskjed field asks for.

export function kindTexts(t) {
  return {
    ekonsultasjon: {
      start: t('Start en e-konsultasjon'),
      about: t('Få medisinske råd fra fastlegen din skriftlig. Du får faktura når e-konsultasjonen er avsluttet.'),
      lead: t('Her kan du starte en dialog med behandleren din og få medisinske råd. Det er bare fastlegen din eller fastlegens vikar som kan behandle e-konsultasjonen.'),
      hint: t('Beskriv symptomene dine så detaljert som mulig: hva, hvor, hvor lenge og hvor sterkt.'),
    },
    faktura: {
      start: t('Spørsmål om faktura'),
      about: t('Still spørsmål om en faktura du har fått fra klinikken.'),
      lead: t('Velg fakturaen du har spørsmål om, og skriv spørsmålet ditt.'),
      hint: t('Skriv spørsmålet ditt om fakturaen.'),
    },
    resept: {
      start: t('Fornyelse av resept fra legen'),
      about: t('Be legen fornye en resept du har fra før.'),
      lead: t('Skriv navnet på medisinen, dosering og mengde. Du kan også legge ved et bilde av medisinen eller resepten.'),
      hint: t('Noe mer legen bør vite? Skriv det her.'),
    },
    annen: {
      start: t('Annen henvendelse'),
      about: t('Ikke-medisinske spørsmål til klinikken. De besvares vanligvis av resepsjonen.'),
      lead: t('Har du ikke-medisinske spørsmål til klinikken, kan du skrive dem her. Henvendelsene besvares vanligvis av resepsjonen.'),
      hint: t('Skriv spørsmålet ditt.'),
    },
  };
}
