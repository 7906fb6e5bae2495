#include "family_options_form.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QFormLayout>
#include <QLabel>
#include <QSpinBox>
#include <QVBoxLayout>
#include <cmath>

#include "ndtmoe/model/family_registry.h"

namespace ndtmoe::workbench {

namespace {

// "leaf_mode" -> "Leaf mode:"
QString label_of(const std::string& name) {
  QString text = QString::fromStdString(name).replace('_', ' ');
  if (!text.isEmpty()) text[0] = text[0].toUpper();
  return text + ":";
}

QWidget* editor_for(const OptionSpec& spec, QWidget* parent) {
  switch (spec.type) {
    case OptionType::Integer: {
      auto* box = new QSpinBox(parent);
      box->setRange(static_cast<int>(spec.minimum), static_cast<int>(spec.maximum));
      box->setValue(spec.default_value.get<int>());
      return box;
    }
    case OptionType::Real: {
      auto* box = new QDoubleSpinBox(parent);
      box->setDecimals(4);
      box->setRange(spec.minimum, spec.maximum);
      box->setValue(spec.default_value.get<double>());
      return box;
    }
    case OptionType::Choice: {
      auto* box = new QComboBox(parent);
      for (const std::string& choice : spec.choices) box->addItem(QString::fromStdString(choice));
      box->setCurrentText(QString::fromStdString(spec.default_value.get<std::string>()));
      return box;
    }
    case OptionType::Flag: {
      auto* box = new QCheckBox(parent);
      box->setChecked(spec.default_value.get<bool>());
      return box;
    }
  }
  return nullptr;
}

nlohmann::json value_of(const OptionSpec& spec, const QWidget* editor) {
  switch (spec.type) {
    case OptionType::Integer: return static_cast<const QSpinBox*>(editor)->value();
    case OptionType::Real: return static_cast<const QDoubleSpinBox*>(editor)->value();
    case OptionType::Choice: return static_cast<const QComboBox*>(editor)->currentText().toStdString();
    case OptionType::Flag: return static_cast<const QCheckBox*>(editor)->isChecked();
  }
  return {};
}

}  // namespace

FamilyOptionsForm::FamilyOptionsForm(QWidget* parent)
    : QWidget(parent), family_(new QComboBox(this)), description_(new QLabel(this)), form_(new QFormLayout) {
  family_->setObjectName("family");
  for (const Family* family : registered_families()) {
    family_->addItem(QString::fromStdString(family->name), QString::fromStdString(family->name));
    family_->setItemData(family_->count() - 1, QString::fromStdString(family->description), Qt::ToolTipRole);
  }
  family_->setToolTip(tr("Model family of the student: how its router chooses experts"));
  description_->setWordWrap(true);
  auto* chooser = new QFormLayout;
  chooser->setContentsMargins(0, 0, 0, 0);
  chooser->addRow(tr("Family:"), family_);
  chooser->addRow(description_);
  form_->setContentsMargins(0, 0, 0, 0);
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(0, 0, 0, 0);
  layout->addLayout(chooser);
  layout->addLayout(form_);
  connect(family_, &QComboBox::currentIndexChanged, this, [this] {
    rebuild();
    Q_EMIT changed();
  });
  rebuild();
}

QString FamilyOptionsForm::family() const { return family_->currentData().toString(); }

void FamilyOptionsForm::set_family(const QString& name) {
  const int index = family_->findData(name);
  if (index >= 0) family_->setCurrentIndex(index);
}

void FamilyOptionsForm::rebuild() {
  while (form_->rowCount() > 0) form_->removeRow(0);
  editors_.clear();
  const Family& chosen = find_family(family().toStdString());
  description_->setText(QString::fromStdString(chosen.description));
  for (const OptionSpec& spec : chosen.options) {
    QWidget* editor = editor_for(spec, this);
    editor->setObjectName(QString::fromStdString(spec.name));
    editor->setToolTip(QString::fromStdString(spec.help + " (" + spec.describe_values() + ")"));
    form_->addRow(label_of(spec.name), editor);
    editors_[spec.name] = editor;
  }
}

nlohmann::json FamilyOptionsForm::options() const {
  const Family& family = find_family(family_->currentData().toString().toStdString());
  nlohmann::json values = nlohmann::json::object();
  for (const OptionSpec& spec : family.options) values[spec.name] = value_of(spec, editors_.at(spec.name));
  return values;
}

QString FamilyOptionsForm::apply_to(ModelConfig& student) const {
  if (!student.routes()) student.kind = ModelKind::Mixture;  // a token-level student stays one
  student.family = family().toStdString();
  student.family_options = options();
  try {
    normalize_family_config(student);
  } catch (const std::invalid_argument& e) {
    return QString::fromStdString(e.what());
  }
  return {};
}

}  // namespace ndtmoe::workbench
