//! Where the fields are printed on the cards, as shares of the straightened card's width and height.
//! The e-KTP's layout is fixed by the national specification (header, NIK, then one row per field, the
//! photo on the right); the KPJ card has its number on one line below the holder's name. The reader
//! looks for the text line nearest each place, so small shifts of the print do not matter.

/// One printed line: the left edge of its value, the right edge the value may reach, the top of the
/// row, and the size of the type (shares of the card's height).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Row {
    /// Left edge of the value (share of the width).
    pub value_x: f64,
    /// Right edge the value may reach (share of the width).
    pub value_right: f64,
    /// Top of the row (share of the height).
    pub top: f64,
    /// Type size (share of the height).
    pub size: f64,
}

impl Row {
    /// The vertical centre of the row's text (share of the height): capitals sit in the upper part of
    /// the type size.
    pub fn centre(&self) -> f64 {
        self.top + self.size * 0.55
    }
}

/// The e-KTP's two header lines (province, regency), centred.
pub const EKTP_HEADER_TOPS: [f64; 2] = [0.035, 0.11];
/// Type size of the header lines.
pub const EKTP_HEADER_SIZE: f64 = 0.058;
/// Left edge of the field labels.
pub const EKTP_LABEL_X: f64 = 0.035;
/// The NIK row: large bold digits after "NIK :".
pub const EKTP_NIK: Row = Row {
    value_x: 0.225,
    value_right: 0.735,
    top: 0.195,
    size: 0.080,
};
/// Where the NIK's colon stands.
pub const EKTP_NIK_COLON_X: f64 = 0.20;
/// Top of the first field row, and the pitch of the rows.
pub const EKTP_FIELDS_TOP: f64 = 0.30;
/// Distance between field rows.
pub const EKTP_FIELD_PITCH: f64 = 0.054;
/// Type size of the field rows.
pub const EKTP_FIELD_SIZE: f64 = 0.042;
/// Where the fields' colons stand.
pub const EKTP_FIELD_COLON_X: f64 = 0.255;
/// Left edge of the field values.
pub const EKTP_FIELD_VALUE_X: f64 = 0.275;
/// Right edge a field value may reach (the photo starts after it).
pub const EKTP_FIELD_RIGHT: f64 = 0.735;
/// Where "Gol. Darah" stands on the sex row (the sex is read left of it).
pub const EKTP_BLOOD_TYPE_X: f64 = 0.52;
/// The photo box: left, top, right, bottom.
pub const EKTP_PHOTO: (f64, f64, f64, f64) = (0.75, 0.24, 0.955, 0.72);
/// The field labels, top to bottom.
pub const EKTP_LABELS: [&str; 12] = [
    "Nama",
    "Tempat/Tgl Lahir",
    "Jenis Kelamin",
    "Alamat",
    "RT/RW",
    "Kel/Desa",
    "Kecamatan",
    "Agama",
    "Status Perkawinan",
    "Pekerjaan",
    "Kewarganegaraan",
    "Berlaku Hingga",
];
/// Row numbers (from 0) of the fields the kiosk reads.
pub const EKTP_ROW_NAME: usize = 0;
/// Place and date of birth.
pub const EKTP_ROW_BIRTH: usize = 1;
/// Sex (and blood type).
pub const EKTP_ROW_SEX: usize = 2;

/// Field row `index` of the e-KTP (value up to `right`).
pub fn ektp_field(index: usize, right: f64) -> Row {
    Row {
        value_x: EKTP_FIELD_VALUE_X,
        value_right: right,
        top: EKTP_FIELDS_TOP + index as f64 * EKTP_FIELD_PITCH,
        size: EKTP_FIELD_SIZE,
    }
}

/// The KPJ card's green band at the top (share of the height).
pub const KPJ_BAND_BOTTOM: f64 = 0.24;
/// The KPJ card's holder name row.
pub const KPJ_NAME: Row = Row {
    value_x: 0.06,
    value_right: 0.94,
    top: 0.42,
    size: 0.065,
};
/// The label "No. KPJ" before the number.
pub const KPJ_LABEL_X: f64 = 0.06;
/// The KPJ number row: large digits.
pub const KPJ_NUMBER: Row = Row {
    value_x: 0.33,
    value_right: 0.94,
    top: 0.58,
    size: 0.095,
};
