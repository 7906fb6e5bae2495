#include "ndtmoe_views/figure_export.h"

#include <QDir>
#include <QFile>
#include <QImage>
#include <QPainter>
#include <QPdfWriter>
#include <QBuffer>
#include <QSvgRenderer>
#include <QFont>
#include <QSaveFile>
#include <QSvgGenerator>
#include <cmath>
#include <stdexcept>

namespace ndtmoe::views {

QString csv_field(const QString& text) {
  if (!text.contains(QLatin1Char(',')) && !text.contains(QLatin1Char('"')) && !text.contains(QLatin1Char('\n'))) return text;
  QString quoted = text;
  quoted.replace(QLatin1String("\""), QLatin1String("\"\""));
  return QLatin1Char('"') + quoted + QLatin1Char('"');
}

QString extension(FigureFormat format) {
  switch (format) {
    case FigureFormat::Png: return "png";
    case FigureFormat::Svg: return "svg";
    case FigureFormat::Pdf: return "pdf";
  }
  return {};
}

bool parse_figure_format(const QString& text, FigureFormat* format) {
  for (FigureFormat f : {FigureFormat::Png, FigureFormat::Svg, FigureFormat::Pdf})
    if (text.trimmed().toLower() == extension(f)) {
      *format = f;
      return true;
    }
  return false;
}

namespace {

// Renders to a temporary file next to `path` and renames it, so a failed export leaves nothing behind.
QString write_atomically(const QString& path, const std::function<bool(const QString&)>& write) {
  const QString temporary = path + ".tmp";
  QFile::remove(temporary);
  if (!write(temporary) || !QFile::exists(temporary)) {
    QFile::remove(temporary);
    return QObject::tr("could not write %1").arg(path);
  }
  QFile::remove(path);
  if (!QFile::rename(temporary, path)) {
    QFile::remove(temporary);
    return QObject::tr("could not replace %1").arg(path);
  }
  return {};
}

}  // namespace

const std::vector<FigurePreset>& figure_presets() {
  static const std::vector<FigurePreset> presets{{"single", QT_TRANSLATE_NOOP("FigureExport", "Single column (3.5 in, 8 pt)"), 3.5, 8},
                                                 {"double", QT_TRANSLATE_NOOP("FigureExport", "Double column (7.16 in, 8 pt)"), 7.16, 8}};
  return presets;
}

std::optional<double> parse_length_inches(const QString& text) {
  static const std::vector<std::pair<QString, double>> units{{"in", 1.0}, {"cm", 1 / 2.54}, {"mm", 1 / 25.4}, {"pt", 1 / 72.0}, {"", 1.0}};
  const QString t = text.trimmed().toLower();
  for (const auto& [unit, inches] : units)
    if (t.endsWith(unit)) {
      bool ok = false;
      const double value = t.left(t.size() - unit.size()).trimmed().toDouble(&ok);
      if (ok && value > 0 && value < 1000) return value * inches;
      return std::nullopt;
    }
  return std::nullopt;
}

FigureGeometry figure_geometry(const Figure& figure, const ExportOptions& options) {
  const QSize natural = options.size.isEmpty() ? figure.figure_size() : options.size;
  if (options.width_inches <= 0) return {natural, 1.0, QSizeF(natural) / 96.0};
  const double target = options.width_inches * 96.0;  // the final width in 96 DPI pixels
  const double base = QFont().pointSizeF() > 0 ? QFont().pointSizeF() : 9.0;
  const double scale = options.font_points > 0 ? options.font_points / base : target / natural.width();
  const int width = std::max(1, static_cast<int>(std::lround(target / scale)));
  const int wanted = figure.figure_height(width);
  const QSize layout(width, wanted > 0 ? wanted : std::max(1, static_cast<int>(std::lround(natural.height() * static_cast<double>(width) / natural.width()))));
  return {layout, scale, QSizeF(options.width_inches, layout.height() * scale / 96.0)};
}

namespace {

// The figure as SVG laid out at geometry.layout (96 DPI user units), with width and height attributes of
// its final size: a viewer scales the drawing, text included, uniformly to that size. Printing devices
// would keep text at its point size whatever the scale, so this is how a figure shrinks to a column.
QByteArray scaled_svg(Figure& figure, const FigureGeometry& geometry) {
  QBuffer buffer;
  buffer.open(QIODevice::WriteOnly);
  {
    QSvgGenerator svg;
    svg.setOutputDevice(&buffer);
    svg.setSize(geometry.layout);
    svg.setViewBox(QRect(QPoint(0, 0), geometry.layout));
    svg.setResolution(96);
    svg.setTitle(figure.figure_name());
    svg.setDescription(QObject::tr("NDT-MoE Workbench figure"));
    figure.paint_figure(svg, QRect(QPoint(0, 0), geometry.layout));
  }
  QByteArray bytes = buffer.data();
  const QString size = QString(" width=\"%1in\" height=\"%2in\"").arg(geometry.inches.width(), 0, 'f', 4).arg(geometry.inches.height(), 0, 'f', 4);
  const qsizetype root = bytes.indexOf("<svg");
  const qsizetype width = bytes.indexOf(" width=\"", root), height = bytes.indexOf(" height=\"", root);
  if (root < 0 || width < 0 || height < 0) throw std::runtime_error("the SVG generator wrote no size to replace");
  const qsizetype end = bytes.indexOf('"', bytes.indexOf('"', height) + 1) + 1;
  bytes.replace(width, end - width, size.toUtf8());
  return bytes;
}

}  // namespace

QImage render_figure(Figure& figure, const ExportOptions& options) {
  const FigureGeometry geometry = figure_geometry(figure, options);
  // Laid out at the layout size on an image whose device pixel ratio maps it to the final pixels: the
  // drawing, text included, scales uniformly. The image then records the chosen DPI.
  QImage image((geometry.inches * options.dpi).toSize(), QImage::Format_ARGB32_Premultiplied);
  image.setDevicePixelRatio(static_cast<double>(image.width()) / geometry.layout.width());
  image.fill(Qt::white);
  figure.paint_figure(image, QRect(QPoint(0, 0), geometry.layout));
  image.setDevicePixelRatio(1.0);
  const int dots_per_meter = static_cast<int>(options.dpi / 0.0254 + 0.5);
  image.setDotsPerMeterX(dots_per_meter);
  image.setDotsPerMeterY(dots_per_meter);
  return image;
}

QString export_figure(Figure& figure, const QString& path, FigureFormat format, const ExportOptions& options) {
  const FigureGeometry geometry = figure_geometry(figure, options);
  return write_atomically(path, [&](const QString& file) {
    switch (format) {
      case FigureFormat::Png: return render_figure(figure, options).save(file, "PNG");
      case FigureFormat::Svg: {
        QFile out(file);
        return out.open(QIODevice::WriteOnly) && out.write(scaled_svg(figure, geometry)) >= 0 && out.flush();
      }
      case FigureFormat::Pdf: {
        QPdfWriter pdf(file);
        pdf.setTitle(figure.figure_name());
        pdf.setCreator(QStringLiteral("NDT-MoE Workbench"));
        pdf.setResolution(96);
        pdf.setPageSize(QPageSize(geometry.inches * 72.0, QPageSize::Point));
        pdf.setPageMargins(QMarginsF(0, 0, 0, 0));
        if (geometry.scale == 1.0) {
          figure.paint_figure(pdf, QRect(QPoint(0, 0), geometry.layout));
          return true;
        }
        QSvgRenderer drawing(scaled_svg(figure, geometry));
        QPainter painter(&pdf);
        drawing.render(&painter, QRectF(QPointF(0, 0), geometry.inches * 96.0));
        return true;
      }
    }
    return false;
  });
}

void write_figure_data(const Figure& figure, const QString& path) {
  QSaveFile csv(path);
  if (!csv.open(QIODevice::WriteOnly | QIODevice::Text)) throw std::runtime_error(QObject::tr("cannot write %1").arg(path).toStdString());
  QTextStream stream(&csv);
  figure.write_figure_data(stream);
  stream.flush();
  if (!csv.commit()) throw std::runtime_error(QObject::tr("cannot write %1").arg(path).toStdString());
}

QStringList export_figures(const std::vector<Figure*>& figures, const QString& dir, const std::vector<FigureFormat>& formats,
                           const ExportOptions& options) {
  if (!QDir().mkpath(dir)) throw std::runtime_error(QObject::tr("cannot create the folder %1").arg(dir).toStdString());
  QStringList written;
  for (Figure* figure : figures) {
    const QString stem = QDir(dir).filePath(figure->figure_name());
    for (FigureFormat format : formats) {
      const QString path = stem + "." + extension(format);
      const QString error = export_figure(*figure, path, format, options);
      if (!error.isEmpty()) throw std::runtime_error(error.toStdString());
      written << path;
    }
    write_figure_data(*figure, stem + ".csv");
    written << stem + ".csv";
  }
  return written;
}

}  // namespace ndtmoe::views
