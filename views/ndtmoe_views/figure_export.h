#pragma once
// Paper figures: every view is a Figure that paints itself onto any paint device, so one exporter
// writes PNG (chosen size and DPI), SVG and PDF (vector, fonts embedded by Qt's PDF engine), plus a CSV
// of the data behind the figure.

#include <QImage>
#include <QPaintDevice>
#include <QSize>
#include <QString>
#include <QStringList>
#include <QTextStream>
#include <optional>
#include <vector>

namespace ndtmoe::views {

// A CSV field, quoted when it holds a comma, quote or line break (RFC 4180).
QString csv_field(const QString& text);

enum class FigureFormat { Png, Svg, Pdf };
QString extension(FigureFormat format);
// "png", "svg" or "pdf"; false for anything else.
bool parse_figure_format(const QString& text, FigureFormat* format);

class Figure {
 public:
  virtual ~Figure() = default;
  virtual QString figure_name() const = 0;  // file stem, e.g. "routing-tree-layer0-tree0"
  virtual QSize figure_size() const = 0;    // natural size in pixels at 96 DPI
  // The height the figure wants when laid out `width` pixels wide (a narrow column may stack its
  // panels); -1 keeps the natural aspect ratio.
  virtual int figure_height(int width) const { return -1; }
  // Paints the whole figure (legends and axis labels included) into `target` of `device`.
  virtual void paint_figure(QPaintDevice& device, const QRect& target) = 0;
  virtual void write_figure_data(QTextStream& csv) const = 0;
};

struct ExportOptions {
  QSize size;       // the layout size, pixels at 96 DPI; empty: the figure's natural size
  int dpi = 300;    // PNG resolution
  // The final width in inches (0: the layout size at 96 DPI) and the size text comes out at in points
  // (0: whatever the width gives). The figure is laid out so that, scaled uniformly to that width, text
  // drawn at the application's base font size comes out at `font_points` and the rest in proportion:
  // what the preview shows is what the file holds, only smaller or larger.
  double width_inches = 0, font_points = 0;
  // Routing trees in a run's figures: as icicles (RoutingTreeView::set_icicle), node-link drawings, or
  // (auto) icicles for trees too deep to read as node-link drawings (RoutingTreeView::icicle_suits).
  enum class TreeLayout { Auto, NodeLink, Icicle } tree_layout = TreeLayout::Auto;
};

// Column widths of the usual two-column journals, at their text size.
struct FigurePreset {
  const char* name;   // on the command line: --preset NAME
  const char* label;  // in the export dialog
  double width_inches, font_points;
};
const std::vector<FigurePreset>& figure_presets();

// "3.5in", "8.9cm", "89mm" or "252pt" in inches; nullopt for anything else (a bare number is inches).
std::optional<double> parse_length_inches(const QString& text);

// Where a figure is laid out (96 DPI pixels) and the uniform scale from there to the file.
struct FigureGeometry {
  QSize layout;
  double scale = 1;
  QSizeF inches;  // the final size: exactly the width asked for, the height in proportion
};
FigureGeometry figure_geometry(const Figure& figure, const ExportOptions& options);

// The figure as an image at `options.dpi`, exactly as a PNG export writes it (the export dialog's preview).
QImage render_figure(Figure& figure, const ExportOptions& options);

// Writes the CSV of the numbers the figure draws; throws std::runtime_error naming the file.
void write_figure_data(const Figure& figure, const QString& path);

// Writes `path`; returns an empty string on success, else what went wrong (the file is then absent).
QString export_figure(Figure& figure, const QString& path, FigureFormat format, const ExportOptions& options = {});

// Writes <dir>/<name>.<ext> for every figure and format and <dir>/<name>.csv; returns the files written,
// or throws std::runtime_error naming the file that failed.
QStringList export_figures(const std::vector<Figure*>& figures, const QString& dir, const std::vector<FigureFormat>& formats,
                           const ExportOptions& options = {});

}  // namespace ndtmoe::views
