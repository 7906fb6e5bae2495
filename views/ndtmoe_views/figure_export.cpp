#include "ndtmoe_views/figure_export.h"

#include <QDir>
#include <QFile>
#include <QImage>
#include <QPainter>
#include <QPdfWriter>
#include <QSaveFile>
#include <QSvgGenerator>
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

QString export_figure(Figure& figure, const QString& path, FigureFormat format, const ExportOptions& options) {
  const QSize natural = figure.figure_size();
  return write_atomically(path, [&](const QString& file) {
    switch (format) {
      case FigureFormat::Png: {
        // Paint at the figure's logical size on a high-DPI image, so fonts and margins keep their
        // proportions at any resolution; the file then records the chosen DPI.
        const QSize logical = options.size.isEmpty() ? natural : options.size;
        const double ratio = options.size.isEmpty() ? options.dpi / 96.0 : 1.0;
        QImage image(logical * ratio, QImage::Format_ARGB32_Premultiplied);
        image.setDevicePixelRatio(ratio);
        image.fill(Qt::white);
        figure.paint_figure(image, QRect(QPoint(0, 0), logical));
        image.setDevicePixelRatio(1.0);
        const int dots_per_meter = static_cast<int>(options.dpi / 0.0254 + 0.5);
        image.setDotsPerMeterX(dots_per_meter);
        image.setDotsPerMeterY(dots_per_meter);
        return image.save(file, "PNG");
      }
      case FigureFormat::Svg: {
        const QSize size = options.size.isEmpty() ? natural : options.size;
        QSvgGenerator svg;
        svg.setFileName(file);
        svg.setSize(size);
        svg.setViewBox(QRect(QPoint(0, 0), size));
        svg.setResolution(96);
        svg.setTitle(figure.figure_name());
        svg.setDescription(QObject::tr("NDT-MoE Workbench figure"));
        figure.paint_figure(svg, QRect(QPoint(0, 0), size));
        return true;
      }
      case FigureFormat::Pdf: {
        const QSize size = options.size.isEmpty() ? natural : options.size;
        QPdfWriter pdf(file);
        pdf.setTitle(figure.figure_name());
        pdf.setCreator(QStringLiteral("NDT-MoE Workbench"));
        pdf.setResolution(96);
        pdf.setPageSize(QPageSize(QSizeF(size) * 72.0 / 96.0, QPageSize::Point));
        pdf.setPageMargins(QMarginsF(0, 0, 0, 0));
        figure.paint_figure(pdf, QRect(QPoint(0, 0), size));
        return true;
      }
    }
    return false;
  });
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
    QSaveFile csv(stem + ".csv");
    if (!csv.open(QIODevice::WriteOnly | QIODevice::Text)) throw std::runtime_error(QObject::tr("cannot write %1").arg(csv.fileName()).toStdString());
    QTextStream stream(&csv);
    figure->write_figure_data(stream);
    stream.flush();
    if (!csv.commit()) throw std::runtime_error(QObject::tr("cannot write %1").arg(csv.fileName()).toStdString());
    written << stem + ".csv";
  }
  return written;
}

}  // namespace ndtmoe::views
