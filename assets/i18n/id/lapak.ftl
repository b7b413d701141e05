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
reason-contract-end = Kontrak kerja (PKWT) selesai
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
doc-phk-proof = Bukti PHK: surat PHK, perjanjian bersama, tanda terima laporan PHK dari Disnaker, atau putusan pengadilan
doc-contract-end-letter = Surat keterangan kontrak kerja berakhir
doc-passport = Paspor
doc-not-working-statement = Surat pernyataan tidak bekerja lagi di Indonesia
doc-doctor-statement = Surat keterangan dokter tentang cacat total tetap
doc-death-certificate = Surat keterangan kematian
doc-heir-certificate = Surat keterangan ahli waris
doc-applicant-ektp = e-KTP ahli waris
doc-applicant-kk = Kartu Keluarga ahli waris
doc-still-working-statement = Surat keterangan masih bekerja dari perusahaan
doc-housing-document = Dokumen rumah: PPJB, AJB, atau KPR

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

email-incomplete = Alamat email belum lengkap. Contoh: nama@contoh.com
email-bad-character = Alamat email tidak boleh berisi spasi atau tanda khusus.
email-bad-format = Alamat email tidak benar. Contoh: nama@contoh.com
email-too-long = Alamat email terlalu panjang.

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
