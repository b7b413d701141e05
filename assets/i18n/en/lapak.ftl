# Lapak Kiosk: messages for the participant, English.
# Short, plain sentences. Dates written out ("12 January 2027"). Every id here is also in id/lapak.ftl.

## Months

month-1 = January
month-2 = February
month-3 = March
month-4 = April
month-5 = May
month-6 = June
month-7 = July
month-8 = August
month-9 = September
month-10 = October
month-11 = November
month-12 = December

## Claim reasons

reason-resign = I resigned
reason-phk = I was dismissed (PHK)
reason-contract-end = My fixed-term contract (PKWT) ended
reason-retirement-age = I reached retirement age
reason-leaving-indonesia = I am leaving Indonesia for good
reason-total-disability = Total permanent disability
reason-death = The participant died (claim by an heir)
reason-partial-10 = Partial claim of 10% (preparing for old age)
reason-partial-30 = Partial claim of 30% (for a home)

note-only-one-partial-claim = A partial claim (10% or 30%) can be taken only once while you are a participant.

## Event dates

event-date-resign = Date you stopped working
event-date-phk = Date of the PHK
event-date-contract-end = Date the contract ended
event-date-leaving-indonesia = Date you leave Indonesia
event-date-total-disability = Date the disability was confirmed
event-date-death = Date of death

## Documents

doc-kpj-card = BPJS Ketenagakerjaan membership card (KPJ)
doc-ektp = e-KTP
doc-kartu-keluarga = Family card (Kartu Keluarga)
doc-bank-book = Savings book (page with name and account number)
doc-selfie = Photo of your face
doc-npwp = NPWP card
doc-paklaring = Letter that you stopped working (paklaring)
doc-phk-proof = Proof of PHK: dismissal letter, joint agreement, manpower office receipt, or court decision
doc-contract-end-letter = Letter that the work contract ended
doc-passport = Passport
doc-not-working-statement = Statement that you no longer work in Indonesia
doc-doctor-statement = Doctor's statement of total permanent disability
doc-death-certificate = Death certificate
doc-heir-certificate = Heir certificate
doc-applicant-ektp = The heir's e-KTP
doc-applicant-kk = The heir's family card
doc-still-working-statement = Letter from the employer that you still work there
doc-housing-document = Home documents: PPJB (sale agreement), AJB (deed of sale), or KPR (home loan)

## Sex

sex-male = Male
sex-female = Female

## Eligibility

eligibility-eligible = You can claim now.
eligibility-waiting-period = Not yet: you can claim from { $date }, because you must wait { $months } { $months ->
        [one] month
       *[other] months
    } after { $reason ->
        [resign] the day you stopped working
        [phk] the day of the PHK
        [contract_end] the day your contract ended
        [leaving_indonesia] the day you leave Indonesia
        [total_disability] the day the disability was confirmed
        [death] the date of death
       *[other] the date of the event
    }.
eligibility-from-next-month = Not yet: you can claim from { $date }, the first day of the month after { $reason ->
        [resign] the day you stopped working
        [phk] the day of the PHK
        [contract_end] the day your contract ended
        [leaving_indonesia] the day you leave Indonesia
        [total_disability] the day the disability was confirmed
        [death] the date of death
       *[other] the date of the event
    }.
eligibility-event-not-yet = Not yet: you can claim from { $date }, because { $reason ->
        [resign] the day you stopped working
        [phk] the day of the PHK
        [contract_end] the day your contract ended
        [leaving_indonesia] the day you leave Indonesia
        [total_disability] the day the disability was confirmed
        [death] the date of death
       *[other] the date of the event
    } has not come yet.
eligibility-retirement-age = Not yet: you can claim from { $date }, when you are { $years } years old.
eligibility-membership-years = Not yet: you can claim from { $date }, when you have been a participant for { $years } years.
eligibility-missing-event-date = Please enter { $reason ->
        [resign] the day you stopped working
        [phk] the day of the PHK
        [contract_end] the day your contract ended
        [leaving_indonesia] the day you leave Indonesia
        [total_disability] the day the disability was confirmed
        [death] the date of death
       *[other] the date of the event
    } first.
eligibility-missing-date-of-birth = Please enter your date of birth first.
eligibility-missing-membership-start = Please enter the date you became a BPJS Ketenagakerjaan participant first.
eligibility-missing-rule = This kiosk has no rule for this claim reason yet. Please ask the staff.

## NIK

nik-not-digits = The NIK has digits only.
nik-too-short = The NIK has 16 digits. You have typed { $digits }.
nik-too-long = The NIK has 16 digits. You have typed { $digits }.
nik-unknown-province = The first two digits of the NIK are not a province code. Please check the NIK on your e-KTP.
nik-bad-birth-date = The birth date inside the NIK is not right. Please check the NIK on your e-KTP.
nik-zero-serial = The last four digits of the NIK cannot be 0000. Please check the NIK on your e-KTP.
nik-warning-unknown-regency = We do not know the regency or city code in this NIK. Please make sure it matches your e-KTP.
nik-warning-unknown-district = We do not know the district code in this NIK. Please make sure it matches your e-KTP.

## KPJ number

kpj-not-digits = The KPJ number has digits only.
kpj-too-short = The KPJ number has { $min } to { $max } digits. See your membership card.
kpj-too-long = The KPJ number has { $min } to { $max } digits. See your membership card.

## Names

name-empty = Please enter the name.
name-too-short = A name has at least { $min } letters.
name-too-long = A name has at most { $max } letters.
name-bad-character = The sign { $character } cannot be used. Use letters, spaces, a dot, an apostrophe (') or a hyphen (-).
name-no-letters = A name must have letters.

## Phone

phone-not-digits = The phone number has digits only.
phone-not-mobile = The mobile number must start with 08, for example 081234567890.
phone-too-short = A mobile number has { $min } to { $max } digits and starts with 08.
phone-too-long = A mobile number has { $min } to { $max } digits and starts with 08.

## E-mail

email-incomplete = The e-mail address is not complete. Example: name@example.com
email-bad-character = An e-mail address cannot have spaces or special signs.
email-bad-format = This is not an e-mail address. Example: name@example.com
email-too-long = The e-mail address is too long.

## NPWP

npwp-not-digits = The NPWP has digits, dots and dashes only.
npwp-too-short = The NPWP has 15 or 16 digits.
npwp-too-long = The NPWP has 15 or 16 digits.

## Bank account

account-unknown-bank = Please choose your bank first.
account-not-digits = The account number has digits only.
account-too-short = Account numbers at this bank have { $length } digits. See your savings book.
account-too-long = Account numbers at this bank have { $length } digits. See your savings book.

## Dates (typed as 8 digits: day, month, year)

date-not-digits = Type the date with digits only: day, month, year.
date-too-short = Type 8 digits: day, month, year. Example: 17081975 for 17 August 1975.
date-too-long = A date has only 8 digits: day, month, year.
date-bad-day = The day must be 01 to 31.
date-bad-month = The month must be 01 to 12.
date-no-such-day = That date is not in the calendar. Please check it.
date-too-late = The date cannot be after { $date }.
date-too-early = The date cannot be before { $date }.

## Claim reference

reference-out-of-range = A claim number cannot be made. Please ask the staff.
reference-not-digits = The claim number has digits only.
reference-wrong-length = The claim number has 13 digits. You have typed { $digits }.
reference-check-digit = The claim number is not right. Please check each digit on your receipt.

## ---------------------------------------------------------------------------------------------------------
## Screens (ui-*): kept together at the end of the file.

ui-kiosk-name = Lapak Kiosk · BPJS Ketenagakerjaan
ui-kiosk-title = Lapak Kiosk
ui-kiosk-agency = BPJS Ketenagakerjaan
ui-language-id = Bahasa Indonesia
ui-language-en = English
ui-back = Back
ui-next = Next
ui-finish = Done
ui-cancel = Cancel
ui-yes-correct = Yes, that is right
ui-no-change = No, change it
ui-key-erase = Erase
ui-key-clear = Erase all
ui-key-space = Space
ui-field-keep-typing = Please type with the keys on the screen.
ui-field-ok = That is right.
ui-sex-male = Male
ui-sex-female = Female
ui-home-welcome = Welcome
ui-home-intro = Here you can claim your JHT savings without queueing.
ui-home-start = Claim my JHT
ui-home-status = Check a claim
ui-consent-question = Use your data for this claim?
ui-consent-what-title = What we ask for
ui-consent-what = Your NIK, KPJ number, name, phone number, bank account, photos of documents and a photo of your face.
ui-consent-why-title = What for
ui-consent-why = Only to process your JHT claim at BPJS Ketenagakerjaan.
ui-consent-keep-title = How long it is kept
ui-consent-keep = Your data is locked (encrypted) on this kiosk until it is sent to BPJS Ketenagakerjaan. The trace of your NIK is deleted when it is sent, and all of it is deleted from the kiosk at most { $days } days after it is sent. Nobody at the kiosk can open it.
ui-consent-agree = I agree
ui-consent-decline = No, go back
ui-identity-nik-question = Type your NIK
ui-identity-nik-help = The NIK (Nomor Induk Kependudukan) is on your e-KTP: 16 digits.
ui-identity-confirm-question = Is this right?
ui-identity-born = Date of birth: { $date }
ui-identity-sex = Sex: { $sex }
ui-identity-kpj-question = Type your KPJ number
ui-identity-kpj-help = The KPJ number is on your BPJS Ketenagakerjaan membership card.
ui-identity-name-question = Type your name as on your e-KTP
ui-identity-mother-question = Type your mother's maiden name
ui-reason-question = Why are you claiming?
ui-reason-membership-start = When did your membership start?
ui-date-help = Type day, month, year. Example: 12 January 2025 is 12012025.
ui-reason-eligible = You can make the claim
ui-reason-not-yet = Not yet
ui-contact-phone-question = Type your mobile number
ui-contact-phone-help = An officer will call this number. Example: 081234567890.
ui-contact-email-question = Type your e-mail address
ui-contact-no-email = I have no e-mail
ui-heir-nik-question = Type your NIK as the heir
ui-heir-nik-help = Now your own details, as the heir who applies. The 16 digits on your e-KTP.
ui-heir-name-question = Type your name (the heir) as on your e-KTP
ui-heir-relationship-question = How were you related to the deceased?
ui-heir-spouse = Husband / wife
ui-heir-child = Child
ui-heir-parent = Parent
ui-heir-sibling = Brother / sister
ui-heir-grandparent = Grandparent
ui-heir-grandchild = Grandchild
ui-heir-parent-in-law = Parent-in-law
ui-heir-named-in-will = Named in the will
ui-balance-question = Is the JHT balance above Rp50 million?
ui-balance-help = Above Rp50 million, an NPWP and a photo of its card are needed. Unsure? See the JMO app.
ui-balance-above = Yes, above Rp50 million
ui-balance-not-above = No
ui-npwp-question = Type your NPWP number
ui-npwp-help = 15 digits (older NPWP) or 16 digits (the NIK as NPWP).
ui-bank-question = Choose your bank
ui-bank-account-question = Type your account number
ui-bank-account-help = A { $bank } account number has { $digits } digits.
ui-bank-holder-question = Account holder's name
ui-bank-holder-help = The account must be in your own name.
ui-review-question = Check your answers
ui-review-identity = Identity
ui-review-reason = Reason
ui-review-contact = Contact
ui-review-bank = Bank account
ui-review-mother = Mother's maiden name: { $name }
ui-review-heir = Heir: { $name } (NIK { $nik })
ui-review-balance-not-above = JHT balance not above Rp50 million
ui-review-change = Change
ui-review-submit = Send my claim
ui-out-of-service-storage = Sorry, this kiosk cannot store claims right now. Please ask the staff.
ui-submit-incomplete = The claim is not complete: an answer is missing or wrong. Tap "Change" to check your answers.
ui-submit-full-pending = Sorry, this kiosk's claim queue is full, so the claim cannot be stored yet. Please ask the staff or try again later.
ui-submit-full-disk = Sorry, this kiosk's storage is nearly full, so the claim cannot be stored. Please ask the staff.
ui-status-reference-question = Type your claim number
ui-status-reference-help = The claim number is on your receipt: 13 digits.
ui-status-asking = Checking...
ui-status-answer = Your claim's status
ui-status-unavailable = Sorry, this kiosk cannot check the status right now. Please try again later.
ui-status-try-again = Try again
ui-status-no-more-tries = You have tried 3 times. Please ask the staff for help, or come back later with your receipt and e-KTP.
ui-status-try-later = This claim number has been checked too often. Please ask the staff for help or try again later.
ui-idle-title = Are you still there?
ui-idle-body = Your data will be erased in { $seconds } seconds.
ui-idle-continue = Yes, I am still here
ui-out-of-service-camera = The camera is not available: new claims are paused. You can still check a claim.
ui-camera-unavailable = The camera is not available. Please ask the staff.
ui-camera-lost = The camera was disconnected, please wait.
ui-camera-starting = The camera is starting, please wait.
ui-camera-no-picture = No picture from the camera yet.
ui-documents-counter = Document { $number } of { $total }
ui-documents-question = Photo: { $document }
ui-documents-face-question = A photo of your face
ui-documents-hold-still = Place it inside the yellow frame, then press "Take photo".
ui-documents-checking = Checking the photo...
ui-documents-refused = The photo cannot be used yet:
ui-documents-taken = The photo is taken. Check that it is clear, then tap "Use this photo".
ui-documents-capture = Take photo
ui-documents-retake = Take again
ui-documents-auto = Show the document to the camera inside the yellow frame and hold still. The photo takes itself.
ui-documents-face-auto = Look at the camera and keep still. The photo takes itself.
ui-documents-countdown = Hold still. The photo is taken in { $seconds } { $seconds ->
        [one] second
       *[other] seconds
    }.
ui-documents-use = Use this photo
ui-documents-taken-earlier = This photo has been taken.
ui-review-documents = Documents
ui-saved-title = Your claim is saved
ui-saved-reference = Claim number:
ui-saved-printing = Printing your receipt...
ui-saved-printed = Please take your receipt.
ui-saved-not-printed = No receipt: photograph the number above.
ui-saved-next = An officer will call you; money follows approval.
hint-too-blurry = The photo is blurry. Hold the document still and wait a moment.
hint-too-dark = The photo is too dark. Move to a brighter spot or turn on the light.
hint-too-bright = The photo is too bright. Move away from direct light.
hint-glare = Light is reflecting on the card. Tilt it slightly.
hint-card-not-in-box = The card is not visible yet. Show the card to the camera inside the yellow frame.
hint-no-face = No face found. Look straight at the camera.
hint-more-than-one-face = More than one face is visible. Only you should be in the photo.
hint-face-not-centred = Move so that your face is in the middle of the oval.
hint-face-too-small = Come closer to the camera.
hint-face-too-close = Step back a little from the camera.
hint-head-upright = Hold your head upright and look straight at the camera.
hint-move-closer = Bring the document closer to the camera.
hint-move-back = Move the document a little further from the camera.
hint-move-left = Move the document to the left.
hint-move-right = Move the document to the right.
hint-move-up = Move the document up.
hint-move-down = Move the document down.
hint-straighten = Hold the document straight.
hint-hold-still = Hold still for a moment.
ui-status-central = { $status ->
        [received] The claim was received and waits for an officer
        [verifying] An officer is checking the claim
        [approved] The claim is approved; the money will be sent soon
        [rejected] The claim was refused. An officer will contact you
       *[paid] The money was sent to your account
    } (since { $date }).
ui-status-saved-not-sent = The claim is saved on this kiosk since { $date } and will be sent as soon as the network is available.
ui-status-sent-on = The claim was sent from this kiosk on { $date }. The latest status cannot be checked right now.
ui-status-refused-on-send = The head office did not accept this claim. Please ask the staff.
ui-status-not-found = No claim found. Please check the claim number and your NIK.
ui-reason-print-slip = Print a slip
ui-slip-printing = The slip is printing. Please take it.
ui-slip-not-printed = The slip cannot be printed now. The date on the screen is when you can make the claim.
ui-maintenance-pin-question = Staff PIN
ui-maintenance-enter = Enter
ui-maintenance-pin-wrong = Wrong PIN. { $tries } tries left.
ui-maintenance-pin-locked = Too many wrong PINs. Try again in { $minutes } minutes.
ui-maintenance-pin-not-configured = No staff PIN is set in the kiosk configuration.
ui-maintenance-health = Device health
ui-maintenance-camera = Camera
ui-maintenance-printer = Printer
ui-maintenance-outbox = Claim queue
ui-maintenance-central = Central service
ui-maintenance-leave = Leave staff mode
ui-maintenance-test-print = Test print
ui-maintenance-exit-desktop = Close the program
ui-maintenance-test-print-sent = The test page was sent to the printer.
ui-maintenance-no-printer = No printer is configured.
ui-maintenance-sync-now = Sync now
ui-maintenance-send-held = Send the { $count } held claims again
ui-maintenance-held-requeued = { $count } held claims are back in the queue and being sent now.
ui-maintenance-requeue-failed = The held claims could not be put back in the queue: { $error }
ui-maintenance-sync-started = Sending the waiting claims starts now.
ui-maintenance-no-uploader = This kiosk is not connected to the central service: nothing is sent.
ui-maintenance-export = Export packets
ui-maintenance-export-question = Export the claim packets to where?
ui-maintenance-no-drives = No USB drive is mounted under /media or /run/media. Plug one in, or type a folder.
ui-maintenance-export-typed = Or type a folder on the right (starting with /).
ui-maintenance-folder-absolute = The folder must start with /, e.g. /media/usb.
ui-maintenance-export-start = Export
ui-maintenance-exporting = Exporting the packets…
ui-maintenance-exported = { $count } claims exported to { $folder }. Take this folder to the branch office.
ui-maintenance-export-failed = Export failed: { $error }
ui-maintenance-no-outbox = The claim queue is not open: there is nothing to export.
ui-maintenance-reload-config = Reload config
ui-maintenance-config-ok = The configuration { $origin } reads without errors ({ $warnings } warnings). Session times, the staff PIN, photo checks and the kiosk location apply now; camera, printer, central service and claim rules apply when the kiosk program restarts.
ui-maintenance-config-error = The configuration cannot be used: { $error }
ui-maintenance-camera-test = Camera test
ui-health-camera-none = No camera could be opened.
ui-health-camera-starting = The camera is opening…
ui-health-camera-running = Camera running: { $name }, { $width }×{ $height }.
ui-health-camera-resting = Camera ready and resting (switched off while no screen shows it): { $name }.
ui-health-camera-lost = Camera lost ({ $reason }). The kiosk keeps trying to reopen it; check the USB cable.
ui-health-camera-stopped = The camera is switched off.
ui-health-printer-none = No printer is configured.
ui-health-printer-ready = Ready.
ui-health-printer-paper-low = Paper nearly finished: have a new roll ready.
ui-health-printer-paper-out = Out of paper: load a new roll and close the cover.
ui-health-printer-cover-open = Cover open: close the printer cover.
ui-health-printer-cutter-error = Cutter jammed: open the cover, remove the jammed paper, close it again.
ui-health-printer-unrecoverable = Serious fault: switch the printer off and on; call service if it stays.
ui-health-printer-offline = Printer offline: check the feed button is not held and the printer is on.
ui-health-printer-no-response = The printer does not answer: check it is on and the baud rate matches its settings.
ui-health-printer-disconnected = Printer disconnected: check the cable and the configured port.
ui-health-outbox-none = The claim queue is not open.
ui-health-outbox-counts = Waiting { $pending }, sending { $sending }, delivered { $delivered }, held { $held }.
ui-health-outbox-oldest = The oldest has waited { $minutes } minutes.
ui-health-outbox-error = Last sending error: { $error }
ui-health-outbox-unreadable = The claim queue cannot be read: { $error }
ui-health-central-none = Not set: claims stay on this kiosk only.
ui-health-central-waiting = No claim delivered since the kiosk started ({ $requests } requests).
ui-health-central-ok = Connected. Last claim delivered { $date } at { $time }; delivered since the kiosk started: { $delivered }.
ui-health-delivery-alert = Attention: { $claims } claims cannot be delivered. The oldest, { $reference }, has waited since { $date } at { $time } ({ $attempts } failed attempts). Last error: { $error }. Check the network, the central address and this kiosk's registration (see the field guide).
ui-health-central-failing = Not connected: { $error } ({ $failures } times in a row). Claims stay safe on the kiosk and are retried automatically.
ui-review-no-email = No e-mail
ui-maintenance-capitals = Capital letters
ui-maintenance-small-letters = Small letters

## ways
ui-ways-whom-question = Who is this claim for?
ui-ways-whom-help = Choose "A family member who died" if you are the heir of a participant who has died.
ui-ways-whom-self = Myself
ui-ways-whom-deceased = A family member who died
ui-ways-deceased-nik-question = Type the deceased's NIK
ui-ways-deceased-nik-help = The NIK is on the deceased's e-KTP or family card (Kartu Keluarga): 16 digits.
ui-ways-deceased-kpj-question = Type the deceased's KPJ number
ui-ways-deceased-kpj-help = The KPJ number is on the deceased's BPJS Ketenagakerjaan membership card.
ui-ways-deceased-name-question = Type the deceased's name as on their e-KTP
ui-ways-deceased-mother-question = Type the name of the deceased's mother
ui-ways-review-deceased = The deceased
ui-ways-cancel-question = Cancel this claim?
ui-ways-cancel-body = All answers and photos are deleted. The claim is not stored.
ui-ways-cancel-yes = Yes, cancel
ui-ways-cancel-no = No, continue
ui-ways-reprint = Print again
ui-ways-saved-stored-anyway = The claim is still stored. Tap "Print again" once the printer is ready.
ui-ways-camera-fault-answers = Your answers and photos stay for this session. The claim is only stored when you tap "Send my claim".
## help
ui-help-button = Ask for help
ui-help-title = Ask for help
ui-help-ask = Our staff are ready to help you. Contact:
ui-help-phone = Office telephone: { $number }
ui-help-whatsapp = Office WhatsApp: { $number }
ui-help-hours = Open { $days }, { $opens } to { $closes }
ui-help-day-range = { $first } to { $last }
ui-help-national = BPJS Ketenagakerjaan, all of Indonesia: telephone { $number }
ui-help-scan = Point a phone's camera at this code to contact us.
ui-help-print = Print
ui-help-close = Back to the screen
ui-help-slip-not-printed = The printer cannot print now. Please write down the message on this screen.
ui-day-mon = Monday
ui-day-tue = Tuesday
ui-day-wed = Wednesday
ui-day-thu = Thursday
ui-day-fri = Friday
ui-day-sat = Saturday
ui-day-sun = Sunday
ui-wayout-kpj = I have no KPJ number
ui-wayout-kpj-title = The KPJ number is needed
ui-wayout-kpj-advice = The KPJ number is on the BPJS Ketenagakerjaan card and in the JMO app. No card? Ask your company or a BPJS office.
ui-wayout-phone = I have no mobile number
ui-wayout-phone-title = A mobile number is needed
ui-wayout-phone-advice = Staff contact you by mobile phone. You may use the number of a family member who can always be reached. Or come back later.
ui-wayout-bank = My bank is not listed
ui-wayout-bank-title = Your bank is not in the list
ui-wayout-bank-advice = This kiosk can only pay to the banks in the list. Use an account in your own name at one of them, or ask a BPJS office.
ui-wayout-account = I do not know the number
ui-wayout-account-title = The account number is needed
ui-wayout-account-advice = The account number is on the first page of the savings book. Your bank can also tell you. Come back with your savings book.
ui-wayout-document = I do not have this document
ui-wayout-document-title = Documents are missing
ui-wayout-document-missing = Missing: { $document }
ui-wayout-document-advice = Come back with all of these documents:
ui-wayout-balance = I do not know
ui-wayout-balance-title = JHT balance not known
ui-wayout-balance-advice = Have an NPWP card? Choose "Yes, above Rp50 million" and give the NPWP. No card? Check your balance in the JMO app or call 175.
ui-wayout-not-kept = If you stop now, your answers are not saved and not sent.
ui-wayout-back = Back to the question
ui-wayout-end = Stop
ui-checklist-title = Have these documents ready
ui-checklist-help = You will photograph them one by one.
ui-checklist-start = Start the photos
ui-checklist-missing = I am missing one
## words
ui-text-size = Aa
ui-consent-short-what = We ask: NIK, KPJ, name, phone, account, photos.
ui-consent-short-keep = Deleted from the kiosk at most { $days } days after sending.
ui-consent-read-all = Read it all
ui-consent-full-title = In full
ui-review-bank-line = { $bank } { $account } in the name of { $holder }
ui-status-officer-reason = The officer's reason: { $reason }
## speech
ui-speech-repeat = Say it again
voice-documents-question = Photograph this document.
voice-digit-0 = zero
voice-digit-1 = one
voice-digit-2 = two
voice-digit-3 = three
voice-digit-4 = four
voice-digit-5 = five
voice-digit-6 = six
voice-digit-7 = seven
voice-digit-8 = eight
voice-digit-9 = nine
ui-maintenance-volume = Sound volume
ui-maintenance-quieter = Quieter
ui-maintenance-louder = Louder
ui-maintenance-no-speaker = No speaker: this kiosk is silent.
## Reading
ui-reading-ektp-question = Show your e-KTP. We will read it.
ui-reading-kpj-question = Now show your BPJS Ketenagakerjaan card (KPJ).
ui-reading-type = Type it myself
ui-reading-busy = Reading the card…
ui-reading-busy-help = Please wait a moment.
ui-reading-check-question = Is this right?
ui-reading-nik = NIK: { $value }
ui-reading-name = Name: { $value }
ui-reading-born = Place, date of birth: { $value }
ui-reading-sex = Sex: { $value }
ui-reading-kpj = KPJ number: { $value }
ui-reading-unsure = not read for sure, you will be asked
ui-reading-right = Right
ui-reading-change = Change
## Fewer taps
ui-contact-add-email = Add e-mail (optional)
ui-bank-holder-line = Account holder: { $holder }
ui-bank-holder-change = Change name
ui-date-month-help = Choose the month. An older date can be typed.
ui-date-type = Type another date
ui-date-day-help = Choose the day.
ui-documents-taken-auto = The photo is taken. If it is not clear, press "Take again".
ui-documents-going-on = Going on by itself in { $seconds } seconds.
