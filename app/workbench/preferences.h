#pragma once
// User preferences kept in QSettings: interface language and colour scheme. The language takes
// effect at the next start (Qt loads translators before widgets exist); the scheme at once.

#include <QDialog>
#include <QString>

class QComboBox;

namespace ndtmoe::workbench {

struct Preferences {
  QString language = "system";  // "system", "en" or "de"
  QString theme = "system";     // "system", "light" or "dark"

  static Preferences load();
  void save() const;
};

// Installs the translators for the chosen language on the application (returns the language used).
QString install_translators(const Preferences& preferences);
// Applies the light or dark palette (Fusion style) or leaves the platform's.
void apply_theme(const Preferences& preferences);

class PreferencesDialog : public QDialog {
  Q_OBJECT

 public:
  explicit PreferencesDialog(QWidget* parent = nullptr);
  Preferences chosen() const;

 private:
  QComboBox *language_, *theme_;
};

}  // namespace ndtmoe::workbench
