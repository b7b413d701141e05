//! The date picker of the reason screen: the recent months as large buttons, then the days of the chosen
//! month on a grid, so a date takes two taps (the keypad stays for an older date).

use chrono::{Datelike, Months, NaiveDate};
use iced::widget::{button, column, row, text};
use iced::{Center, Element, Fill};

use crate::i18n::{Translator, month_message_id};
use crate::ui::screen::choice;
use crate::ui::theme;

/// How many months the picker offers, the current one first.
pub const RECENT_MONTHS: u32 = 12;
/// Months on one row of the picker.
const MONTHS_PER_ROW: usize = 3;
/// Days on one row of the grid (a week).
const DAYS_PER_ROW: usize = 7;
/// Space between the grid's buttons.
const GRID_GAP: f32 = 8.0;

/// A month of a year, as the picker offers it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct YearMonth {
    first: NaiveDate,
}

impl YearMonth {
    /// The month `date` falls in.
    pub fn of(date: NaiveDate) -> YearMonth {
        YearMonth {
            first: date.with_day(1).unwrap_or(date),
        }
    }

    /// The month's days, the first to the last.
    pub fn days(self) -> impl Iterator<Item = NaiveDate> {
        let month = self.first.month();
        self.first
            .iter_days()
            .take_while(move |day| day.month() == month)
    }

    /// The month's name and year in the participant's language ("Agustus 2026").
    pub fn label(self, t: &Translator) -> String {
        format!(
            "{} {}",
            t.tr(month_message_id(self.first.month())),
            self.first.year()
        )
    }
}

/// The months the picker offers on `today`: this month and the [`RECENT_MONTHS`] - 1 before it, newest
/// first.
pub fn recent_months(today: NaiveDate) -> Vec<YearMonth> {
    let this = YearMonth::of(today);
    (0..RECENT_MONTHS)
        .filter_map(|back| this.first.checked_sub_months(Months::new(back)))
        .map(YearMonth::of)
        .collect()
}

/// The recent months as large buttons, three to a row; `chosen` is highlighted.
pub fn month_buttons<'a, M: Clone + 'a>(
    t: &Translator,
    today: NaiveDate,
    chosen: Option<YearMonth>,
    on_choose: impl Fn(YearMonth) -> M,
) -> Element<'a, M> {
    let months = recent_months(today);
    let rows = months.chunks(MONTHS_PER_ROW).map(|months| {
        row(months
            .iter()
            .map(|month| choice(month.label(t), on_choose(*month), chosen == Some(*month))))
        .spacing(12)
        .into()
    });
    column(rows).spacing(12).into()
}

/// The days of `month` on a grid, seven to a row; `chosen` is highlighted.
pub fn day_grid<'a, M: Clone + 'a>(
    month: YearMonth,
    chosen: Option<NaiveDate>,
    on_choose: impl Fn(NaiveDate) -> M,
) -> Element<'a, M> {
    let days: Vec<NaiveDate> = month.days().collect();
    let rows = days.chunks(DAYS_PER_ROW).map(|week| {
        let mut line = row(week.iter().map(|day| {
            button(
                text(day.day().to_string())
                    .size(theme::BODY)
                    .font(theme::FONT_BOLD_FACE)
                    .width(Fill)
                    .height(Fill)
                    .align_x(Center)
                    .align_y(Center),
            )
            .on_press(on_choose(*day))
            .width(Fill)
            .height(theme::TOUCH)
            .padding(0)
            .style(if chosen == Some(*day) {
                theme::selected_button
            } else {
                theme::secondary_button
            })
            .into()
        }))
        .spacing(GRID_GAP);
        // The last row keeps the week's widths.
        for _ in week.len()..DAYS_PER_ROW {
            line = line.push(iced::widget::space::horizontal());
        }
        line.into()
    });
    column(rows).spacing(GRID_GAP).width(560).into()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).expect("a real date")
    }

    #[test]
    fn the_picker_offers_this_month_and_the_eleven_before_it_across_the_new_year() {
        let months = recent_months(date(2026, 2, 10));
        assert_eq!(months.len(), 12);
        assert_eq!(months[0], YearMonth::of(date(2026, 2, 1)));
        assert_eq!(months[1], YearMonth::of(date(2026, 1, 31)));
        assert_eq!(months[2], YearMonth::of(date(2025, 12, 5)));
        assert_eq!(months[11], YearMonth::of(date(2025, 3, 1)));
    }

    #[test]
    fn a_months_grid_has_its_own_number_of_days() {
        assert_eq!(YearMonth::of(date(2026, 2, 10)).days().count(), 28);
        assert_eq!(YearMonth::of(date(2028, 2, 10)).days().count(), 29);
        assert_eq!(YearMonth::of(date(2026, 8, 10)).days().count(), 31);
        assert_eq!(
            YearMonth::of(date(2026, 11, 30)).days().last(),
            Some(date(2026, 11, 30))
        );
        let t = Translator::new(crate::i18n::Language::Id);
        assert_eq!(YearMonth::of(date(2026, 8, 17)).label(&t), "Agustus 2026");
    }
}
