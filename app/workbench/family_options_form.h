#pragma once
// The student's model family in the New run dialog: a family chooser and a form built from that
// family's option descriptions (family_registry.h) — the same names, defaults, ranges and help texts
// as `ndtmoe train --family NAME` and `ndtmoe families`.

#include <QWidget>
#include <map>
#include <nlohmann/json.hpp>

#include "ndtmoe/model/model_config.h"

class QComboBox;
class QFormLayout;
class QLabel;

namespace ndtmoe::workbench {

class FamilyOptionsForm : public QWidget {
  Q_OBJECT

 public:
  explicit FamilyOptionsForm(QWidget* parent = nullptr);
  QString family() const;
  void set_family(const QString& name);
  // The options as entered (complete: every option of the family).
  nlohmann::json options() const;
  // Sets family and options on `student` and normalizes them; the message of what is wrong, or empty.
  QString apply_to(ModelConfig& student) const;

 Q_SIGNALS:
  void changed();

 private:
  void rebuild();

  QComboBox* family_;
  QLabel* description_;
  QFormLayout* form_;
  std::map<std::string, QWidget*> editors_;  // option name -> spin box, combo box or check box
};

}  // namespace ndtmoe::workbench
