#pragma once
// File ▸ Export figure: the figure's final size — its own, a journal column (single or double) at the
// journal's text size, or a custom width and text size — the PNG resolution, and a preview drawn by the
// same code that writes the file, at the size it will have on paper.

#include <QDialog>

#include "ndtmoe_views/figure_export.h"

class QComboBox;
class QDoubleSpinBox;
class QLabel;
class QLineEdit;
class QSpinBox;

namespace ndtmoe::workbench {

class FigureExportDialog : public QDialog {
  Q_OBJECT

 public:
  FigureExportDialog(views::Figure& figure, views::FigureFormat format, QWidget* parent = nullptr);
  views::ExportOptions options() const;
  // Chooses a preset by its command-line name ("single", "double") or "natural".
  void choose(const QString& size);
  QImage preview() const { return preview_image_; }

 private:
  void update_preview();

  views::Figure& figure_;
  views::FigureFormat format_;
  QComboBox* size_;
  QLineEdit* width_;
  QDoubleSpinBox* font_;
  QSpinBox* dpi_;
  QLabel *summary_, *preview_;
  QImage preview_image_;
};

}  // namespace ndtmoe::workbench
