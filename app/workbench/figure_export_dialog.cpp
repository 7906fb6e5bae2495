#include "figure_export_dialog.h"

#include <QComboBox>
#include <QCoreApplication>
#include <QDialogButtonBox>
#include <QDoubleSpinBox>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QScrollArea>
#include <QSpinBox>
#include <QVBoxLayout>

namespace ndtmoe::workbench {

FigureExportDialog::FigureExportDialog(views::Figure& figure, views::FigureFormat format, QWidget* parent)
    : QDialog(parent), figure_(figure), format_(format), size_(new QComboBox(this)), width_(new QLineEdit(this)),
      font_(new QDoubleSpinBox(this)), dpi_(new QSpinBox(this)), summary_(new QLabel(this)), preview_(new QLabel(this)) {
  setWindowTitle(tr("Export figure"));
  size_->addItem(tr("The figure's own size"), "natural");
  for (const views::FigurePreset& p : views::figure_presets()) size_->addItem(QCoreApplication::translate("FigureExport", p.label), p.name);
  size_->addItem(tr("Custom width and text size"), "custom");
  width_->setText("3.5in");
  width_->setToolTip(tr("A length such as 3.5in, 8.9cm, 89mm or 252pt"));
  font_->setRange(4, 30);
  font_->setDecimals(1);
  font_->setValue(8);
  font_->setSuffix(tr(" pt"));
  dpi_->setRange(72, 1200);
  dpi_->setValue(300);
  dpi_->setEnabled(format == views::FigureFormat::Png);
  auto* form = new QFormLayout;
  form->addRow(tr("Size"), size_);
  form->addRow(tr("Width"), width_);
  form->addRow(tr("Text size"), font_);
  form->addRow(tr("PNG resolution (dpi)"), dpi_);
  auto* scroll = new QScrollArea(this);
  scroll->setWidget(preview_);
  scroll->setAlignment(Qt::AlignCenter);
  scroll->setBackgroundRole(QPalette::Dark);
  auto* buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
  auto* layout = new QVBoxLayout(this);
  layout->addLayout(form);
  layout->addWidget(summary_);
  layout->addWidget(scroll, 1);
  layout->addWidget(buttons);
  connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
  connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
  connect(size_, &QComboBox::currentIndexChanged, this, &FigureExportDialog::update_preview);
  connect(width_, &QLineEdit::editingFinished, this, &FigureExportDialog::update_preview);
  connect(font_, &QDoubleSpinBox::valueChanged, this, &FigureExportDialog::update_preview);
  connect(dpi_, &QSpinBox::valueChanged, this, &FigureExportDialog::update_preview);
  resize(900, 700);
  choose("single");
}

void FigureExportDialog::choose(const QString& size) {
  size_->setCurrentIndex(std::max(0, size_->findData(size)));
  update_preview();
}

views::ExportOptions FigureExportDialog::options() const {
  views::ExportOptions options;
  options.dpi = dpi_->value();
  const QString size = size_->currentData().toString();
  for (const views::FigurePreset& p : views::figure_presets())
    if (size == p.name) {
      options.width_inches = p.width_inches;
      options.font_points = p.font_points;
    }
  if (size == "custom") {
    options.width_inches = views::parse_length_inches(width_->text()).value_or(0);
    options.font_points = font_->value();
  }
  return options;
}

void FigureExportDialog::update_preview() {
  const bool custom = size_->currentData() == "custom";
  width_->setEnabled(custom);
  font_->setEnabled(custom);
  const views::ExportOptions chosen = options();
  auto* ok = findChild<QDialogButtonBox*>()->button(QDialogButtonBox::Ok);
  if (custom && chosen.width_inches <= 0) {
    summary_->setText(tr("<span style='color:#c62828'>Width: give a length such as 3.5in, 8.9cm, 89mm or 252pt</span>"));
    ok->setEnabled(false);
    return;
  }
  ok->setEnabled(true);
  const views::FigureGeometry geometry = views::figure_geometry(figure_, chosen);
  const QString text = chosen.font_points > 0 ? tr(", text %1 pt").arg(chosen.font_points) : QString();
  QString summary = tr("%1 × %2 in (%3 × %4 pt)%5")
                        .arg(geometry.inches.width(), 0, 'f', 2)
                        .arg(geometry.inches.height(), 0, 'f', 2)
                        .arg(geometry.inches.width() * 72, 0, 'f', 0)
                        .arg(geometry.inches.height() * 72, 0, 'f', 0)
                        .arg(text);
  if (format_ == views::FigureFormat::Png)
    summary += tr(" · %1 × %2 px at %3 dpi").arg(qRound(geometry.inches.width() * chosen.dpi)).arg(qRound(geometry.inches.height() * chosen.dpi)).arg(chosen.dpi);
  summary_->setText(summary + tr(" · the preview shows it at its size on paper"));
  // Drawn as the file is, at this screen's resolution: one inch of paper is 96 logical pixels.
  views::ExportOptions screen = chosen;
  const double ratio = devicePixelRatioF();
  screen.dpi = static_cast<int>(96 * ratio);
  preview_image_ = views::render_figure(figure_, screen);
  QPixmap pixmap = QPixmap::fromImage(preview_image_);
  pixmap.setDevicePixelRatio(ratio);
  preview_->setPixmap(pixmap);
  preview_->resize(pixmap.deviceIndependentSize().toSize());
}

}  // namespace ndtmoe::workbench
