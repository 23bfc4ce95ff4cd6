-- The question sets shipped with the product. Regions add their own versions as new rows.
-- Answer types: 'ja-nej' (ja/nej/vet inte), 'text'. `fills` names the contract part an answer
-- feeds when a contract is drawn up from the battery.

insert into question_set (id, version, name, audience, source, questions) values
('fragebatteri-000', 1, 'Frågebatteri för Patientkontrakt', 'personal',
 'Region Gävleborg, handlingsplan Patientkontrakt 2021',
 '[
   {"id": "q1", "text": "Vad är viktigt för dig?", "answerType": "text", "fills": "whatMatters"},
   {"id": "q2", "text": "Gemensamt mål – vilken ambitionsnivå ska vi ha för din vård?", "answerType": "text", "fills": "goals"},
   {"id": "q3", "text": "Vad kan du själv ansvara för i din vård?", "answerType": "text", "fills": "patientResponsibilities"},
   {"id": "q4", "text": "Har du en fast vårdkontakt?", "answerType": "ja-nej", "fills": "fastVardkontakt"},
   {"id": "q5", "text": "Har du en fast läkarkontakt i primärvården?", "answerType": "ja-nej", "fills": "fastLakarkontakt"},
   {"id": "q6", "text": "Vet du ditt nästa steg?", "answerType": "ja-nej", "fills": "nextContact"},
   {"id": "q7", "text": "Har du överblick över dina olika planer i vården?", "answerType": "ja-nej", "fills": "linkedPlans"},
   {"id": "q8", "text": "Vill du ha hjälp att samordna din vård?", "answerType": "ja-nej", "fills": "coordinationWanted"}
 ]'),
('skr-7-fragor-patient', 1, 'De 7 frågorna – patientens version', 'patient',
 'SKR, Metodstöd, uppföljning (2022)',
 '[
   {"id": "p1", "text": "Känner du att du kan ha fokus på att leva livet och litar på att du lätt får hjälp från vården när du behöver det?", "answerType": "ja-nej"},
   {"id": "p2", "text": "Har du en överenskommelse med vården som utgår från vad som är viktigt för dig, där du vet vad du gör för att må bra, vad du gör om du blir sjuk och vad vården gör?", "answerType": "ja-nej"},
   {"id": "p3", "text": "Har du enkla sätt att ta kontakt med vården?", "answerType": "ja-nej"},
   {"id": "p4", "text": "Har du en fast vårdkontakt (vid behov)?", "answerType": "ja-nej"},
   {"id": "p5", "text": "Vet du ditt nästa steg?", "answerType": "ja-nej"},
   {"id": "p6", "text": "Har du och vården kommit överens om din nästa tid tillsammans?", "answerType": "ja-nej"},
   {"id": "p7", "text": "Har du en överblick av dina olika planer i vården och hjälp med samordning vid behov?", "answerType": "ja-nej"}
 ]'),
('skr-7-fragor-vardgivare', 1, 'De 7 frågorna – vårdgivarens version', 'vardgivare',
 'SKR, Metodstöd, uppföljning (2022); frågorna ställda till enheten',
 '[
   {"id": "v1", "text": "Vet ni om era patienter känner att de kan ha fokus på att leva livet och litar på att de lätt får hjälp från vården när de behöver det?", "answerType": "ja-nej"},
   {"id": "v2", "text": "Har era patienter en överenskommelse med vården som utgår från vad som är viktigt för dem, där de vet vad de gör för att må bra, vad de gör om de blir sjuka och vad vården gör?", "answerType": "ja-nej"},
   {"id": "v3", "text": "Har era patienter enkla sätt att ta kontakt med vården?", "answerType": "ja-nej"},
   {"id": "v4", "text": "Erbjuder ni patienterna en fast vårdkontakt (vid behov)?", "answerType": "ja-nej"},
   {"id": "v5", "text": "Vet era patienter sitt nästa steg?", "answerType": "ja-nej"},
   {"id": "v6", "text": "Kommer ni överens med patienterna om deras nästa tid tillsammans?", "answerType": "ja-nej"},
   {"id": "v7", "text": "Har era patienter en överblick av sina olika planer i vården och hjälp med samordning vid behov?", "answerType": "ja-nej"}
 ]');
