#include "preferences.h"

#include <QApplication>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLabel>
#include <QLibraryInfo>
#include <QLocale>
#include <QPalette>
#include <QSettings>
#include <QStyleFactory>
#include <QTranslator>

namespace ndtmoe::workbench {

Preferences Preferences::load() {
  QSettings settings;
  Preferences p;
  p.language = settings.value("preferences/language", p.language).toString();
  p.theme = settings.value("preferences/theme", p.theme).toString();
  return p;
}

void Preferences::save() const {
  QSettings settings;
  settings.setValue("preferences/language", language);
  settings.setValue("preferences/theme", theme);
}

QString install_translators(const Preferences& preferences) {
  const QString language = preferences.language == "system" ? QLocale::system().name().section('_', 0, 0) : preferences.language;
  auto* own = new QTranslator(qApp);
  if (language == "en" || !own->load(":/i18n/ndtmoe_" + language + ".qm")) {
    // English, also for a language without a translation: the source strings, with their plural forms.
    if (own->load(":/i18n/ndtmoe_en.qm")) QApplication::installTranslator(own);
    return "en";
  }
  QApplication::installTranslator(own);
  auto* qt = new QTranslator(qApp);
  if (qt->load("qtbase_" + language, QLibraryInfo::path(QLibraryInfo::TranslationsPath))) QApplication::installTranslator(qt);
  return language;
}

void apply_theme(const Preferences& preferences) {
  if (preferences.theme == "system") return;
  QApplication::setStyle(QStyleFactory::create("Fusion"));
  if (preferences.theme == "light") {
    QApplication::setPalette(QApplication::style()->standardPalette());
    return;
  }
  QPalette dark;
  dark.setColor(QPalette::Window, QColor(0x2b2b2b));
  dark.setColor(QPalette::WindowText, QColor(0xe6e6e6));
  dark.setColor(QPalette::Base, QColor(0x1e1e1e));
  dark.setColor(QPalette::AlternateBase, QColor(0x2f2f2f));
  dark.setColor(QPalette::ToolTipBase, QColor(0x3a3a3a));
  dark.setColor(QPalette::ToolTipText, QColor(0xe6e6e6));
  dark.setColor(QPalette::Text, QColor(0xe6e6e6));
  dark.setColor(QPalette::Button, QColor(0x353535));
  dark.setColor(QPalette::ButtonText, QColor(0xe6e6e6));
  dark.setColor(QPalette::Highlight, QColor(0x2f6fb3));
  dark.setColor(QPalette::HighlightedText, Qt::white);
  dark.setColor(QPalette::Link, QColor(0x6fa8dc));
  dark.setColor(QPalette::Disabled, QPalette::Text, QColor(0x7f7f7f));
  dark.setColor(QPalette::Disabled, QPalette::ButtonText, QColor(0x7f7f7f));
  QApplication::setPalette(dark);
}

PreferencesDialog::PreferencesDialog(QWidget* parent) : QDialog(parent), language_(new QComboBox(this)), theme_(new QComboBox(this)) {
  setWindowTitle(tr("Preferences"));
  language_->addItem(tr("System language"), "system");
  language_->addItem(QStringLiteral("English"), "en");
  language_->addItem(QStringLiteral("Deutsch"), "de");
  theme_->addItem(tr("System"), "system");
  theme_->addItem(tr("Light"), "light");
  theme_->addItem(tr("Dark"), "dark");
  const Preferences current = Preferences::load();
  language_->setCurrentIndex(std::max(0, language_->findData(current.language)));
  theme_->setCurrentIndex(std::max(0, theme_->findData(current.theme)));
  auto* buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
  connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
  connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
  auto* form = new QFormLayout(this);
  form->addRow(tr("Language:"), language_);
  form->addRow(new QLabel(tr("The language changes at the next start."), this));
  form->addRow(tr("Colours:"), theme_);
  form->addRow(buttons);
}

Preferences PreferencesDialog::chosen() const { return {language_->currentData().toString(), theme_->currentData().toString()}; }

}  // namespace ndtmoe::workbench
