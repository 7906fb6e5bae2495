#pragma once
// Paper figures: every view is a Figure that paints itself onto any paint device, so one exporter
// writes PNG (chosen size and DPI), SVG and PDF (vector, fonts embedded by Qt's PDF engine), plus a CSV
// of the data behind the figure.

#include <QPaintDevice>
#include <QSize>
#include <QString>
#include <QStringList>
#include <QTextStream>
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
  // Paints the whole figure (legends and axis labels included) into `target` of `device`.
  virtual void paint_figure(QPaintDevice& device, const QRect& target) = 0;
  virtual void write_figure_data(QTextStream& csv) const = 0;
};

struct ExportOptions {
  QSize size;       // pixels (PNG) or points at 96 DPI; empty: the figure's natural size, at `dpi` for PNG
  int dpi = 300;    // PNG resolution
};

// Writes `path`; returns an empty string on success, else what went wrong (the file is then absent).
QString export_figure(Figure& figure, const QString& path, FigureFormat format, const ExportOptions& options = {});

// Writes <dir>/<name>.<ext> for every figure and format and <dir>/<name>.csv; returns the files written,
// or throws std::runtime_error naming the file that failed.
QStringList export_figures(const std::vector<Figure*>& figures, const QString& dir, const std::vector<FigureFormat>& formats,
                           const ExportOptions& options = {});

}  // namespace ndtmoe::views
