# Lapak Kiosk: pesan untuk peserta, Bahasa Indonesia.
# Kalimat pendek dan sederhana. Tanggal ditulis lengkap ("12 Januari 2027"). Setiap id juga ada di en/lapak.ftl.

## Bulan

month-1 = Januari
month-2 = Februari
month-3 = Maret
month-4 = April
month-5 = Mei
month-6 = Juni
month-7 = Juli
month-8 = Agustus
month-9 = September
month-10 = Oktober
month-11 = November
month-12 = Desember

## Sebab klaim

reason-resign = Berhenti bekerja (mengundurkan diri)
reason-phk = Terkena PHK
reason-contract-end = Kontrak kerja waktu tertentu (PKWT) selesai
reason-retirement-age = Mencapai usia pensiun
reason-leaving-indonesia = Meninggalkan Indonesia untuk selamanya
reason-total-disability = Cacat total tetap
reason-death = Peserta meninggal dunia (diajukan ahli waris)
reason-partial-10 = Klaim sebagian 10% (persiapan hari tua)
reason-partial-30 = Klaim sebagian 30% (untuk rumah)

note-only-one-partial-claim = Klaim sebagian (10% atau 30%) hanya bisa diambil satu kali selama menjadi peserta.

## Tanggal kejadian

event-date-resign = Tanggal berhenti bekerja
event-date-phk = Tanggal PHK
event-date-contract-end = Tanggal kontrak berakhir
event-date-leaving-indonesia = Tanggal meninggalkan Indonesia
event-date-total-disability = Tanggal penetapan cacat total tetap
event-date-death = Tanggal peserta meninggal dunia

## Dokumen

doc-kpj-card = Kartu peserta BPJS Ketenagakerjaan (KPJ)
doc-ektp = e-KTP
doc-kartu-keluarga = Kartu Keluarga (KK)
doc-bank-book = Buku tabungan (halaman nama dan nomor rekening)
doc-selfie = Foto wajah Anda
doc-npwp = Kartu NPWP
doc-paklaring = Surat keterangan berhenti bekerja (paklaring)
doc-phk-proof = Bukti PHK: surat PHK, perjanjian bersama, tanda terima laporan PHK dari Disnaker (Dinas Tenaga Kerja), atau putusan pengadilan
doc-contract-end-letter = Surat keterangan kontrak kerja berakhir
doc-passport = Paspor
doc-not-working-statement = Surat pernyataan tidak bekerja lagi di Indonesia
doc-doctor-statement = Surat keterangan dokter tentang cacat total tetap
doc-death-certificate = Surat keterangan kematian
doc-heir-certificate = Surat keterangan ahli waris
doc-applicant-ektp = e-KTP ahli waris
doc-applicant-kk = Kartu Keluarga ahli waris
doc-still-working-statement = Surat keterangan masih bekerja dari perusahaan
doc-housing-document = Dokumen rumah: PPJB (perjanjian jual beli), AJB (akta jual beli), atau KPR (kredit rumah)

## Jenis kelamin

sex-male = Laki-laki
sex-female = Perempuan

## Hak klaim

eligibility-eligible = Bisa diajukan sekarang.
eligibility-waiting-period = Belum bisa: bisa diajukan mulai { $date } karena harus menunggu { $months } bulan setelah { $reason ->
        [resign] tanggal berhenti bekerja
        [phk] tanggal PHK
        [contract_end] tanggal kontrak berakhir
        [leaving_indonesia] tanggal meninggalkan Indonesia
        [total_disability] tanggal penetapan cacat total tetap
        [death] tanggal peserta meninggal dunia
       *[other] tanggal kejadian
    }.
eligibility-from-next-month = Belum bisa: bisa diajukan mulai { $date }, yaitu awal bulan sesudah { $reason ->
        [resign] tanggal berhenti bekerja
        [phk] tanggal PHK
        [contract_end] tanggal kontrak berakhir
        [leaving_indonesia] tanggal meninggalkan Indonesia
        [total_disability] tanggal penetapan cacat total tetap
        [death] tanggal peserta meninggal dunia
       *[other] tanggal kejadian
    }.
eligibility-event-not-yet = Belum bisa: bisa diajukan mulai { $date } karena { $reason ->
        [resign] tanggal berhenti bekerja
        [phk] tanggal PHK
        [contract_end] tanggal kontrak berakhir
        [leaving_indonesia] tanggal meninggalkan Indonesia
        [total_disability] tanggal penetapan cacat total tetap
        [death] tanggal peserta meninggal dunia
       *[other] tanggal kejadian
    } belum tiba.
eligibility-retirement-age = Belum bisa: bisa diajukan mulai { $date }, saat Anda berusia { $years } tahun.
eligibility-membership-years = Belum bisa: bisa diajukan mulai { $date }, saat Anda sudah { $years } tahun menjadi peserta.
eligibility-missing-event-date = Isi dulu { $reason ->
        [resign] tanggal berhenti bekerja
        [phk] tanggal PHK
        [contract_end] tanggal kontrak berakhir
        [leaving_indonesia] tanggal meninggalkan Indonesia
        [total_disability] tanggal penetapan cacat total tetap
        [death] tanggal peserta meninggal dunia
       *[other] tanggal kejadian
    }.
eligibility-missing-date-of-birth = Isi dulu tanggal lahir Anda.
eligibility-missing-membership-start = Isi dulu tanggal Anda mulai menjadi peserta BPJS Ketenagakerjaan.
eligibility-missing-rule = Kios ini belum punya aturan untuk sebab klaim ini. Mohon hubungi petugas.

## NIK

nik-not-digits = NIK hanya berisi angka.
nik-too-short = NIK terdiri dari 16 angka. Sekarang baru { $digits } angka.
nik-too-long = NIK terdiri dari 16 angka. Sekarang ada { $digits } angka.
nik-unknown-province = Dua angka pertama NIK bukan kode provinsi. Periksa lagi NIK di e-KTP Anda.
nik-bad-birth-date = Angka tanggal lahir di dalam NIK tidak benar. Periksa lagi NIK di e-KTP Anda.
nik-zero-serial = Empat angka terakhir NIK tidak boleh 0000. Periksa lagi NIK di e-KTP Anda.
nik-warning-unknown-regency = Kode kabupaten atau kota di NIK ini tidak kami kenal. Pastikan NIK sama dengan e-KTP Anda.
nik-warning-unknown-district = Kode kecamatan di NIK ini tidak kami kenal. Pastikan NIK sama dengan e-KTP Anda.

## Nomor KPJ

kpj-not-digits = Nomor KPJ hanya berisi angka.
kpj-too-short = Nomor KPJ terdiri dari { $min } sampai { $max } angka. Lihat kartu peserta Anda.
kpj-too-long = Nomor KPJ terdiri dari { $min } sampai { $max } angka. Lihat kartu peserta Anda.

## Nama

name-empty = Nama belum diisi.
name-too-short = Nama paling sedikit { $min } huruf.
name-too-long = Nama paling banyak { $max } huruf.
name-bad-character = Tanda { $character } tidak boleh dipakai. Pakai huruf, spasi, titik, petik (') atau tanda hubung (-).
name-no-letters = Nama harus berisi huruf.

## Nomor HP

phone-not-digits = Nomor HP hanya berisi angka.
phone-not-mobile = Nomor HP harus diawali 08, contoh 081234567890.
phone-too-short = Nomor HP terdiri dari { $min } sampai { $max } angka, diawali 08.
phone-too-long = Nomor HP terdiri dari { $min } sampai { $max } angka, diawali 08.

## Email

email-incomplete = Alamat e-mail belum lengkap. Contoh: nama@contoh.com
email-bad-character = Alamat e-mail tidak boleh berisi spasi atau tanda khusus.
email-bad-format = Alamat e-mail tidak benar. Contoh: nama@contoh.com
email-too-long = Alamat e-mail terlalu panjang.

## NPWP

npwp-not-digits = NPWP hanya berisi angka, titik, dan tanda hubung.
npwp-too-short = NPWP terdiri dari 15 atau 16 angka.
npwp-too-long = NPWP terdiri dari 15 atau 16 angka.

## Rekening bank

account-unknown-bank = Pilih bank Anda dulu.
account-not-digits = Nomor rekening hanya berisi angka.
account-too-short = Nomor rekening bank ini terdiri dari { $length } angka. Lihat buku tabungan Anda.
account-too-long = Nomor rekening bank ini terdiri dari { $length } angka. Lihat buku tabungan Anda.

## Tanggal (diketik 8 angka: hari, bulan, tahun)

date-not-digits = Tulis tanggal dengan angka saja: hari, bulan, tahun.
date-too-short = Tulis 8 angka: hari, bulan, tahun. Contoh: 17081975 untuk 17 Agustus 1975.
date-too-long = Tanggal hanya 8 angka: hari, bulan, tahun.
date-bad-day = Hari harus 01 sampai 31.
date-bad-month = Bulan harus 01 sampai 12.
date-no-such-day = Tanggal itu tidak ada di kalender. Periksa lagi.
date-too-late = Tanggal tidak boleh sesudah { $date }.
date-too-early = Tanggal tidak boleh sebelum { $date }.

## Nomor klaim

reference-out-of-range = Nomor klaim tidak bisa dibuat. Mohon hubungi petugas.
reference-not-digits = Nomor klaim hanya berisi angka.
reference-wrong-length = Nomor klaim terdiri dari 13 angka. Sekarang ada { $digits } angka.
reference-check-digit = Nomor klaim salah. Periksa lagi setiap angka di struk Anda.

## ---------------------------------------------------------------------------------------------------------
## Screens (ui-*): kept together at the end of the file.

ui-kiosk-name = Kios Lapak · BPJS Ketenagakerjaan
ui-kiosk-title = Kios Lapak
ui-kiosk-agency = BPJS Ketenagakerjaan
ui-language-id = Bahasa Indonesia
ui-language-en = English
ui-back = Kembali
ui-next = Lanjut
ui-finish = Selesai
ui-cancel = Batal
ui-yes-correct = Ya, benar
ui-no-change = Tidak, ubah
ui-key-erase = Hapus
ui-key-clear = Hapus semua
ui-key-space = Spasi
ui-field-keep-typing = Silakan ketik dengan tombol di layar.
ui-field-ok = Sudah benar.
ui-sex-male = Laki-laki
ui-sex-female = Perempuan
ui-home-welcome = Selamat datang
ui-home-intro = Di sini Anda bisa mengajukan klaim JHT tanpa antre.
ui-home-start = Ajukan klaim JHT
ui-home-status = Cek status klaim
ui-consent-question = Setuju data Anda dipakai untuk klaim ini?
ui-consent-what-title = Data yang kami minta
ui-consent-what = NIK, nomor KPJ, nama, nomor HP, rekening bank, foto dokumen, dan foto wajah Anda.
ui-consent-why-title = Untuk apa
ui-consent-why = Hanya untuk memproses klaim JHT Anda di BPJS Ketenagakerjaan.
ui-consent-keep-title = Berapa lama disimpan
ui-consent-keep = Data dikunci (dienkripsi) di kios ini sampai terkirim ke BPJS Ketenagakerjaan. Jejak NIK Anda dihapus saat terkirim, dan seluruh data dihapus dari kios paling lama { $days } hari setelah terkirim. Di kios tidak ada yang bisa membukanya.
ui-consent-agree = Saya setuju
ui-consent-decline = Tidak, kembali
ui-identity-nik-question = Ketik NIK Anda
ui-identity-nik-help = Nomor Induk Kependudukan (NIK) ada di e-KTP, 16 angka.
ui-identity-confirm-question = Apakah ini benar?
ui-identity-born = Tanggal lahir: { $date }
ui-identity-sex = Jenis kelamin: { $sex }
ui-identity-kpj-question = Ketik nomor KPJ Anda
ui-identity-kpj-help = Nomor KPJ ada di kartu peserta BPJS Ketenagakerjaan.
ui-identity-name-question = Ketik nama Anda sesuai e-KTP
ui-identity-mother-question = Ketik nama ibu kandung Anda
ui-reason-question = Apa sebab klaim Anda?
ui-reason-membership-start = Kapan Anda mulai menjadi peserta?
ui-date-help = Ketik tanggal, bulan, tahun. Contoh: 12 Januari 2025 ditulis 12012025.
ui-reason-eligible = Anda bisa mengajukan klaim
ui-reason-not-yet = Belum bisa sekarang
ui-contact-phone-question = Ketik nomor HP Anda
ui-contact-phone-help = Petugas akan menghubungi nomor ini. Contoh: 081234567890.
ui-contact-email-question = Ketik alamat e-mail Anda
ui-contact-no-email = Tidak punya e-mail
ui-heir-nik-question = Ketik NIK Anda sebagai ahli waris
ui-heir-nik-help = Sekarang data Anda sendiri sebagai ahli waris yang mengajukan. 16 angka di e-KTP Anda.
ui-heir-name-question = Ketik nama Anda (ahli waris) sesuai e-KTP
ui-heir-relationship-question = Apa hubungan Anda dengan almarhum/almarhumah?
ui-heir-spouse = Suami / istri
ui-heir-child = Anak
ui-heir-parent = Orang tua
ui-heir-sibling = Saudara kandung
ui-heir-grandparent = Kakek / nenek
ui-heir-grandchild = Cucu
ui-heir-parent-in-law = Mertua
ui-heir-named-in-will = Ditunjuk dalam wasiat
ui-balance-question = Saldo JHT di atas Rp50 juta?
ui-balance-help = Di atas Rp50 juta, NPWP dan foto kartu NPWP diperlukan. Jika ragu, lihat aplikasi JMO.
ui-balance-above = Ya, di atas Rp50 juta
ui-balance-not-above = Tidak
ui-npwp-question = Ketik nomor NPWP Anda
ui-npwp-help = 15 angka (NPWP lama) atau 16 angka (NIK sebagai NPWP).
ui-bank-question = Pilih bank Anda
ui-bank-account-question = Ketik nomor rekening Anda
ui-bank-account-help = Nomor rekening { $bank } ada { $digits } angka.
ui-bank-holder-question = Nama pemilik rekening
ui-bank-holder-help = Rekening harus atas nama Anda sendiri.
ui-review-question = Periksa lagi data Anda
ui-review-identity = Identitas
ui-review-reason = Sebab klaim
ui-review-contact = Kontak
ui-review-bank = Rekening bank
ui-review-mother = Nama ibu kandung: { $name }
ui-review-heir = Ahli waris: { $name } (NIK { $nik })
ui-review-balance-not-above = Saldo JHT tidak di atas Rp50 juta
ui-review-change = Ubah
ui-review-submit = Kirim klaim
ui-out-of-service-storage = Maaf, kios ini sedang tidak bisa menyimpan klaim. Silakan hubungi petugas.
ui-submit-incomplete = Klaim belum lengkap: ada jawaban yang kurang atau salah. Tekan "Ubah" untuk memeriksa jawaban Anda.
ui-submit-full-pending = Maaf, antrean klaim di kios ini penuh sehingga klaim belum bisa disimpan. Silakan hubungi petugas atau coba lagi nanti.
ui-submit-full-disk = Maaf, penyimpanan kios ini hampir penuh sehingga klaim belum bisa disimpan. Silakan hubungi petugas.
ui-status-reference-question = Ketik nomor klaim Anda
ui-status-reference-help = Nomor klaim ada di struk, 13 angka.
ui-status-asking = Sedang memeriksa...
ui-status-answer = Status klaim Anda
ui-status-unavailable = Maaf, status belum bisa diperiksa di kios ini sekarang. Silakan coba lagi nanti.
ui-status-try-again = Coba lagi
ui-status-no-more-tries = Sudah 3 kali dicoba. Silakan minta bantuan petugas, atau datang lagi nanti dengan struk dan e-KTP Anda.
ui-status-try-later = Nomor klaim ini sudah terlalu sering diperiksa. Silakan minta bantuan petugas atau coba lagi nanti.
ui-idle-title = Masih di sana?
ui-idle-body = Data Anda akan dihapus dalam { $seconds } detik.
ui-idle-continue = Ya, saya masih di sini
ui-out-of-service-camera = Kamera tidak tersedia: pengajuan klaim dihentikan sementara. Cek status klaim tetap bisa.
ui-camera-unavailable = Kamera tidak tersedia. Silakan hubungi petugas.
ui-camera-lost = Kamera terputus, mohon tunggu.
ui-camera-starting = Kamera sedang dinyalakan, mohon tunggu.
ui-camera-no-picture = Belum ada gambar dari kamera.
ui-documents-counter = Dokumen { $number } dari { $total }
ui-documents-question = Foto: { $document }
ui-documents-face-question = Foto wajah Anda
ui-documents-hold-still = Letakkan di dalam bingkai kuning, lalu tekan "Ambil foto".
ui-documents-checking = Sedang memeriksa foto...
ui-documents-refused = Foto belum bisa dipakai:
ui-documents-taken = Foto sudah diambil. Periksa apakah jelas, lalu tekan "Pakai foto ini".
ui-documents-capture = Ambil foto
ui-documents-retake = Ulangi
ui-documents-auto = Tunjukkan dokumen ke kamera di dalam bingkai kuning dan tahan diam. Foto diambil sendiri.
ui-documents-face-auto = Lihat ke kamera dan diam sebentar. Foto diambil sendiri.
ui-documents-countdown = Tahan diam. Foto diambil dalam { $seconds } detik.
ui-documents-use = Pakai foto ini
ui-documents-taken-earlier = Foto ini sudah diambil.
ui-review-documents = Dokumen
ui-saved-title = Klaim Anda tersimpan
ui-saved-reference = Nomor klaim:
ui-saved-printing = Struk sedang dicetak...
ui-saved-printed = Silakan ambil struk Anda.
ui-saved-not-printed = Struk gagal dicetak: foto nomor ini.
ui-saved-next = Petugas akan menelepon Anda. Dana dikirim setelah klaim disetujui.
hint-too-blurry = Foto buram. Tahan dokumen agar tidak bergerak dan tunggu sebentar.
hint-too-dark = Foto terlalu gelap. Pindah ke tempat yang lebih terang atau nyalakan lampu.
hint-too-bright = Foto terlalu terang. Jauhkan dari cahaya langsung.
hint-glare = Ada pantulan cahaya pada kartu. Miringkan kartu sedikit.
hint-card-not-in-box = Kartu belum terlihat. Tunjukkan kartu ke kamera di dalam bingkai kuning.
hint-no-face = Wajah tidak terlihat. Lihat lurus ke kamera.
hint-more-than-one-face = Terlihat lebih dari satu wajah. Hanya Anda yang boleh ada di foto.
hint-face-not-centred = Geser posisi agar wajah Anda berada di tengah oval.
hint-face-too-small = Mendekatlah ke kamera.
hint-face-too-close = Mundur sedikit dari kamera.
hint-head-upright = Tegakkan kepala dan lihat lurus ke kamera.
hint-move-closer = Dekatkan dokumen ke kamera.
hint-move-back = Jauhkan dokumen sedikit dari kamera.
hint-move-left = Geser dokumen ke kiri.
hint-move-right = Geser dokumen ke kanan.
hint-move-up = Geser dokumen ke atas.
hint-move-down = Geser dokumen ke bawah.
hint-straighten = Luruskan dokumen.
hint-hold-still = Tahan diam sebentar.
ui-status-central = { $status ->
        [received] Klaim sudah diterima dan menunggu petugas
        [verifying] Klaim sedang diperiksa petugas
        [approved] Klaim disetujui, dana segera dikirim
        [rejected] Klaim ditolak. Petugas akan menghubungi Anda
       *[paid] Dana sudah dikirim ke rekening Anda
    } (sejak { $date }).
ui-status-saved-not-sent = Klaim tersimpan di kios ini sejak { $date } dan akan dikirim begitu jaringan tersedia.
ui-status-sent-on = Klaim sudah dikirim dari kios ini pada { $date }. Status terbaru belum bisa diperiksa sekarang.
ui-status-refused-on-send = Klaim ini tidak diterima oleh kantor pusat. Silakan hubungi petugas.
ui-status-not-found = Klaim tidak ditemukan. Periksa lagi nomor klaim dan NIK Anda.
ui-reason-print-slip = Cetak slip
ui-slip-printing = Slip sedang dicetak. Silakan ambil.
ui-slip-not-printed = Slip tidak bisa dicetak sekarang. Tanggal di layar adalah tanggal Anda bisa mengajukan klaim.
ui-maintenance-pin-question = PIN petugas
ui-maintenance-enter = Masuk
ui-maintenance-pin-wrong = PIN salah. Sisa { $tries } kali percobaan.
ui-maintenance-pin-locked = Terlalu banyak PIN salah. Coba lagi dalam { $minutes } menit.
ui-maintenance-pin-not-configured = PIN petugas belum diatur di konfigurasi kios.
ui-maintenance-health = Kondisi perangkat
ui-maintenance-camera = Kamera
ui-maintenance-printer = Printer
ui-maintenance-outbox = Antrean klaim
ui-maintenance-central = Kantor pusat
ui-maintenance-leave = Keluar mode petugas
ui-maintenance-test-print = Cetak uji
ui-maintenance-exit-desktop = Tutup aplikasi
ui-maintenance-test-print-sent = Halaman uji dikirim ke printer.
ui-maintenance-no-printer = Tidak ada printer yang diatur.
ui-maintenance-sync-now = Kirim sekarang
ui-maintenance-send-held = Kirim ulang { $count } klaim yang ditahan
ui-maintenance-held-requeued = { $count } klaim yang ditahan masuk antrean lagi dan dikirim sekarang.
ui-maintenance-requeue-failed = Klaim yang ditahan tidak bisa dimasukkan ke antrean lagi: { $error }
ui-maintenance-sync-started = Pengiriman klaim yang menunggu dimulai sekarang.
ui-maintenance-no-uploader = Kios ini tidak tersambung ke layanan pusat: tidak ada yang dikirim.
ui-maintenance-export = Ekspor paket
ui-maintenance-export-question = Ekspor paket klaim ke mana?
ui-maintenance-no-drives = Tidak ada flashdisk yang terpasang di /media atau /run/media. Pasang flashdisk, atau ketik folder tujuan.
ui-maintenance-export-typed = Atau ketik folder tujuan di kanan (diawali /).
ui-maintenance-folder-absolute = Folder harus diawali /, misalnya /media/usb.
ui-maintenance-export-start = Ekspor
ui-maintenance-exporting = Sedang mengekspor paket…
ui-maintenance-exported = { $count } klaim diekspor ke { $folder }. Bawa folder ini ke kantor cabang.
ui-maintenance-export-failed = Ekspor gagal: { $error }
ui-maintenance-no-outbox = Antrean klaim tidak terbuka: tidak ada yang bisa diekspor.
ui-maintenance-reload-config = Baca ulang konfigurasi
ui-maintenance-config-ok = Konfigurasi { $origin } terbaca tanpa kesalahan ({ $warnings } peringatan). Waktu sesi, PIN petugas, pemeriksaan foto, dan lokasi kios langsung berlaku; kamera, printer, kantor pusat, dan aturan klaim berlaku setelah aplikasi kios dimulai ulang.
ui-maintenance-config-error = Konfigurasi tidak bisa dipakai: { $error }
ui-maintenance-camera-test = Uji kamera
ui-health-camera-none = Tidak ada kamera yang bisa dibuka.
ui-health-camera-starting = Kamera sedang dibuka…
ui-health-camera-running = Kamera berjalan: { $name }, { $width }×{ $height }.
ui-health-camera-resting = Kamera siap dan beristirahat (dimatikan selama tidak ada layar yang memakainya): { $name }.
ui-health-camera-lost = Kamera terputus ({ $reason }). Kios mencoba membukanya lagi; periksa kabel USB.
ui-health-camera-stopped = Kamera dimatikan.
ui-health-printer-none = Tidak ada printer yang diatur.
ui-health-printer-ready = Siap.
ui-health-printer-paper-low = Kertas hampir habis: siapkan gulungan baru.
ui-health-printer-paper-out = Kertas habis: pasang gulungan baru dan tutup penutupnya.
ui-health-printer-cover-open = Penutup terbuka: tutup penutup printer.
ui-health-printer-cutter-error = Pemotong kertas macet: buka penutup, ambil kertas yang tersangkut, tutup lagi.
ui-health-printer-unrecoverable = Galat berat: matikan lalu nyalakan printer; hubungi servis bila tetap terjadi.
ui-health-printer-offline = Printer offline: pastikan tombol feed tidak tertekan dan printer menyala.
ui-health-printer-no-response = Printer tidak menjawab: pastikan menyala dan baud rate sesuai pengaturannya.
ui-health-printer-disconnected = Printer terputus: periksa kabel dan port yang diatur.
ui-health-outbox-none = Antrean klaim tidak terbuka.
ui-health-outbox-counts = Menunggu { $pending }, sedang dikirim { $sending }, terkirim { $delivered }, ditahan { $held }.
ui-health-outbox-oldest = Yang terlama sudah menunggu { $minutes } menit.
ui-health-outbox-error = Galat pengiriman terakhir: { $error }
ui-health-outbox-unreadable = Antrean klaim tidak bisa dibaca: { $error }
ui-health-central-none = Tidak diatur: klaim hanya disimpan di kios ini.
ui-health-central-waiting = Belum ada klaim terkirim sejak kios dinyalakan ({ $requests } permintaan).
ui-health-central-ok = Terhubung. Klaim terakhir terkirim { $date } pukul { $time }; terkirim sejak kios dinyalakan: { $delivered }.
ui-health-delivery-alert = Perhatian: { $claims } klaim belum bisa dikirim. Yang terlama, { $reference }, menunggu sejak { $date } pukul { $time } ({ $attempts } kali gagal). Galat terakhir: { $error }. Periksa jaringan, alamat kantor pusat, dan pendaftaran kios ini (lihat panduan lapangan).
ui-health-central-failing = Tidak terhubung: { $error } ({ $failures } kali berturut-turut). Klaim tetap aman di kios; dicoba lagi otomatis.
ui-review-no-email = Tanpa e-mail
ui-maintenance-capitals = Huruf besar
ui-maintenance-small-letters = Huruf kecil

## ways
ui-ways-whom-question = Klaim ini untuk siapa?
ui-ways-whom-help = Pilih "Keluarga yang meninggal" bila Anda ahli waris peserta yang sudah meninggal dunia.
ui-ways-whom-self = Saya sendiri
ui-ways-whom-deceased = Keluarga yang meninggal
ui-ways-deceased-nik-question = Ketik NIK almarhum/almarhumah
ui-ways-deceased-nik-help = NIK ada di e-KTP atau Kartu Keluarga almarhum/almarhumah, 16 angka.
ui-ways-deceased-kpj-question = Ketik nomor KPJ almarhum/almarhumah
ui-ways-deceased-kpj-help = Nomor KPJ ada di kartu peserta BPJS Ketenagakerjaan milik almarhum/almarhumah.
ui-ways-deceased-name-question = Ketik nama almarhum/almarhumah sesuai e-KTP
ui-ways-deceased-mother-question = Ketik nama ibu kandung almarhum/almarhumah
ui-ways-review-deceased = Data almarhum/almarhumah
ui-ways-cancel-question = Batalkan pengajuan?
ui-ways-cancel-body = Semua jawaban dan foto dihapus. Klaim tidak disimpan.
ui-ways-cancel-yes = Ya, batalkan
ui-ways-cancel-no = Tidak, lanjutkan
ui-ways-reprint = Cetak ulang
ui-ways-saved-stored-anyway = Klaim tetap tersimpan. Tekan "Cetak ulang" bila printer sudah siap.
ui-ways-camera-fault-answers = Jawaban dan foto Anda tetap ada selama sesi ini. Klaim baru disimpan setelah Anda menekan "Kirim klaim".
## help
ui-help-button = Minta bantuan
ui-help-title = Minta bantuan
ui-help-ask = Petugas kami siap membantu Anda. Hubungi:
ui-help-phone = Telepon kantor: { $number }
ui-help-whatsapp = WhatsApp kantor: { $number }
ui-help-hours = Buka { $days }, pukul { $opens } sampai { $closes }
ui-help-day-range = { $first } sampai { $last }
ui-help-national = BPJS Ketenagakerjaan, seluruh Indonesia: telepon { $number }
ui-help-scan = Arahkan kamera HP ke kode ini untuk menghubungi kami.
ui-help-print = Cetak
ui-help-close = Kembali ke layar tadi
ui-help-slip-not-printed = Printer tidak bisa mencetak sekarang. Catat pesan di layar ini.
ui-day-mon = Senin
ui-day-tue = Selasa
ui-day-wed = Rabu
ui-day-thu = Kamis
ui-day-fri = Jumat
ui-day-sat = Sabtu
ui-day-sun = Minggu
ui-wayout-kpj = Saya tidak punya nomor KPJ
ui-wayout-kpj-title = Nomor KPJ diperlukan
ui-wayout-kpj-advice = Nomor KPJ ada di kartu BPJS Ketenagakerjaan atau aplikasi JMO. Tidak ada? Tanyakan ke perusahaan Anda atau ke kantor BPJS.
ui-wayout-phone = Saya tidak punya nomor HP
ui-wayout-phone-title = Nomor HP diperlukan
ui-wayout-phone-advice = Petugas menghubungi Anda lewat HP. Boleh pakai nomor HP keluarga yang selalu bisa dihubungi. Atau datang lagi nanti.
ui-wayout-bank = Bank saya tidak ada
ui-wayout-bank-title = Bank Anda tidak ada di daftar
ui-wayout-bank-advice = Kios ini hanya bisa membayar ke bank di daftar. Pakai rekening atas nama Anda di salah satunya, atau tanyakan ke kantor BPJS.
ui-wayout-account = Saya tidak tahu nomornya
ui-wayout-account-title = Nomor rekening diperlukan
ui-wayout-account-advice = Nomor rekening ada di halaman depan buku tabungan. Bisa juga ditanyakan ke bank Anda. Datang lagi dengan buku tabungan.
ui-wayout-document = Saya tidak punya dokumen ini
ui-wayout-document-title = Dokumen belum lengkap
ui-wayout-document-missing = Belum ada: { $document }
ui-wayout-document-advice = Datang lagi dengan semua dokumen ini:
ui-wayout-balance = Saya tidak tahu
ui-wayout-balance-title = Saldo JHT tidak diketahui
ui-wayout-balance-advice = Punya kartu NPWP? Pilih "Ya, di atas Rp50 juta" lalu isi NPWP. Tidak punya? Cek saldo di aplikasi JMO atau telepon 175.
ui-wayout-not-kept = Jika Anda berhenti sekarang, jawaban Anda tidak disimpan dan tidak dikirim.
ui-wayout-back = Kembali ke pertanyaan
ui-wayout-end = Berhenti
ui-checklist-title = Siapkan dokumen ini
ui-checklist-help = Anda akan memfoto dokumen ini satu per satu.
ui-checklist-start = Mulai foto
ui-checklist-missing = Ada yang tidak saya punya
## words
ui-text-size = Aa
ui-consent-short-what = Kami minta NIK, KPJ, nama, HP, rekening, dan foto.
ui-consent-short-keep = Dihapus dari kios paling lama { $days } hari setelah terkirim.
ui-consent-read-all = Baca selengkapnya
ui-consent-full-title = Selengkapnya
ui-review-bank-line = { $bank } { $account } a.n. { $holder }
ui-status-officer-reason = Alasan dari petugas: { $reason }
## speech
ui-speech-repeat = Ulangi suara
voice-documents-question = Foto dokumen ini.
voice-digit-0 = nol
voice-digit-1 = satu
voice-digit-2 = dua
voice-digit-3 = tiga
voice-digit-4 = empat
voice-digit-5 = lima
voice-digit-6 = enam
voice-digit-7 = tujuh
voice-digit-8 = delapan
voice-digit-9 = sembilan
ui-maintenance-volume = Volume suara
ui-maintenance-quieter = Lebih pelan
ui-maintenance-louder = Lebih keras
ui-maintenance-no-speaker = Tidak ada pengeras suara: kios ini tanpa suara.
## Reading
ui-reading-ektp-question = Tunjukkan e-KTP Anda ke kamera. Kami akan membacanya.
ui-reading-kpj-question = Sekarang tunjukkan kartu peserta BPJS Ketenagakerjaan (KPJ) Anda.
ui-reading-type = Ketik sendiri
ui-reading-busy = Sedang membaca kartu…
ui-reading-busy-help = Mohon tunggu sebentar.
ui-reading-check-question = Apakah ini benar?
ui-reading-nik = NIK: { $value }
ui-reading-name = Nama: { $value }
ui-reading-born = Tempat, tanggal lahir: { $value }
ui-reading-sex = Jenis kelamin: { $value }
ui-reading-kpj = Nomor KPJ: { $value }
ui-reading-unsure = belum terbaca, akan ditanyakan
ui-reading-right = Benar
ui-reading-change = Ubah
## Fewer taps
ui-contact-add-email = Tambah e-mail (tidak wajib)
ui-bank-holder-line = Atas nama: { $holder }
ui-bank-holder-change = Ubah nama
ui-date-month-help = Pilih bulannya. Tanggal yang lebih lama bisa diketik.
ui-date-type = Ketik tanggal lain
ui-date-day-help = Pilih tanggalnya.
ui-documents-taken-auto = Foto sudah diambil. Bila kurang jelas, tekan "Ulangi".
ui-documents-going-on = Lanjut sendiri dalam { $seconds } detik.
