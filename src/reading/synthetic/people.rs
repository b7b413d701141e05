//! Made-up card holders with varied names, places, dates and NIKs that follow the NIK's rules (a real
//! district of the wilayah table, the date of birth, +40 on the day for women, a serial from 0001).

use chrono::NaiveDate;

use crate::claim::Sex;

/// What is printed on a synthetic e-KTP.
#[derive(Clone, PartialEq)]
pub struct EktpPerson {
    /// The 16-digit NIK.
    pub nik: String,
    /// Full name, capitals.
    pub name: String,
    /// Place of birth, capitals.
    pub place_of_birth: String,
    /// Date of birth.
    pub date_of_birth: NaiveDate,
    /// Sex.
    pub sex: Sex,
    /// Province, capitals.
    pub province: String,
    /// Regency or city, capitals.
    pub regency: String,
    /// Street address, capitals.
    pub address: String,
}

impl std::fmt::Debug for EktpPerson {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("EktpPerson(<made up>)")
    }
}

/// What is printed on a synthetic KPJ card.
#[derive(Clone, PartialEq, Debug)]
pub struct KpjHolder {
    /// The KPJ number, digits.
    pub kpj: String,
    /// The holder's name, capitals.
    pub name: String,
}

/// District code (6 digits), province and regency as printed on the card.
const PLACES: [(&str, &str, &str); 12] = [
    ("327304", "JAWA BARAT", "KOTA BANDUNG"),
    ("327320", "JAWA BARAT", "KOTA BANDUNG"),
    ("317406", "DKI JAKARTA", "JAKARTA SELATAN"),
    ("357808", "JAWA TIMUR", "KOTA SURABAYA"),
    ("337410", "JAWA TENGAH", "KOTA SEMARANG"),
    ("127105", "SUMATERA UTARA", "KOTA MEDAN"),
    ("167108", "SUMATERA SELATAN", "KOTA PALEMBANG"),
    ("347114", "DI YOGYAKARTA", "KOTA YOGYAKARTA"),
    ("317402", "DKI JAKARTA", "JAKARTA SELATAN"),
    ("327328", "JAWA BARAT", "KOTA BANDUNG"),
    ("357804", "JAWA TIMUR", "KOTA SURABAYA"),
    ("127121", "SUMATERA UTARA", "KOTA MEDAN"),
];
const BIRTH_PLACES: [&str; 14] = [
    "BANDUNG",
    "JAKARTA",
    "SURABAYA",
    "SEMARANG",
    "MEDAN",
    "PALEMBANG",
    "YOGYAKARTA",
    "GARUT",
    "TASIKMALAYA",
    "CIREBON",
    "MAKASSAR",
    "DENPASAR",
    "KEDIRI",
    "BOGOR",
];
const GIVEN: [&str; 20] = [
    "SITI", "AHMAD", "DEWI", "BUDI", "RINA", "AGUS", "NUR", "EKO", "SRI", "JOKO", "YULIA",
    "HENDRA", "WAHYU", "FITRI", "RUDI", "INDAH", "DWI", "PUTRI", "BAMBANG", "LESTARI",
];
const FAMILY: [&str; 20] = [
    "RAHAYU",
    "SANTOSO",
    "HIDAYAT",
    "SETIAWAN",
    "KURNIAWAN",
    "WULANDARI",
    "SAPUTRA",
    "PRATAMA",
    "NURHALIZA",
    "SUGIHARTO",
    "HARAHAP",
    "SIREGAR",
    "GUNAWAN",
    "SUSANTI",
    "FIRMANSYAH",
    "MAULANA",
    "HANDAYANI",
    "SIMANJUNTAK",
    "PURNOMO",
    "RAMADHAN",
];
const STREETS: [&str; 6] = [
    "JL. MERDEKA NO. 12",
    "JL. SUDIRMAN GG. MAWAR 3",
    "KP. CIBADAK",
    "JL. DIPONEGORO 45",
    "PERUM GRIYA ASRI B-7",
    "JL. AHMAD YANI 101",
];

/// A small deterministic generator, so each seed always draws the same person.
struct Draw(u64);

impl Draw {
    fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        self.0 >> 33
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }

    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len())]
    }
}

/// The person of `seed`: two or three names, a birth date 1960-2004, either sex, a NIK made from them.
pub fn person(seed: u64) -> EktpPerson {
    let mut d = Draw(seed.wrapping_mul(2_654_435_761).wrapping_add(17));
    let (district, province, regency) = PLACES[d.below(PLACES.len())];
    let sex = if (seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> 40) & 1 == 0 {
        Sex::Male
    } else {
        Sex::Female
    };
    let year = 1960 + d.below(45) as i32;
    let month = 1 + d.below(12) as u32;
    let day = 1 + d.below(28) as u32;
    let date_of_birth = NaiveDate::from_ymd_opt(year, month, day).unwrap_or(NaiveDate::MIN);
    let coded_day = if sex == Sex::Female { day + 40 } else { day };
    let serial = 1 + d.below(9998);
    let nik = format!(
        "{district}{coded_day:02}{month:02}{:02}{serial:04}",
        year % 100
    );
    let mut name = format!("{} {}", d.pick(&GIVEN), d.pick(&FAMILY));
    if d.below(3) == 0 {
        let middle = d.pick(&GIVEN);
        name = format!("{} {middle} {}", d.pick(&GIVEN), d.pick(&FAMILY));
    }
    EktpPerson {
        nik,
        name,
        place_of_birth: d.pick(&BIRTH_PLACES).to_owned(),
        date_of_birth,
        sex,
        province: province.to_owned(),
        regency: regency.to_owned(),
        address: d.pick(&STREETS).to_owned(),
    }
}

/// The KPJ card holder of `seed`: an 11-digit number (10 or 12 now and then) and a name.
pub fn kpj_holder(seed: u64) -> KpjHolder {
    let mut d = Draw(seed.wrapping_mul(40_503).wrapping_add(99));
    let length = match d.below(6) {
        0 => 10,
        1 => 12,
        _ => 11,
    };
    let mut kpj = String::new();
    for i in 0..length {
        let digit = if i == 0 { 1 + d.below(9) } else { d.below(10) };
        kpj.push(char::from(b'0' + digit as u8));
    }
    KpjHolder {
        kpj,
        name: format!("{} {}", d.pick(&GIVEN), d.pick(&FAMILY)),
    }
}
