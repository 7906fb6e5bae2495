#include "ndtmoe_views/palette.h"

#include <algorithm>
#include <cmath>

#include <algorithm>
#include <array>

namespace ndtmoe::views {

QColor class_color(int64_t label) {
  // Okabe & Ito's colour-blind-safe set (black replaced by grey, so bars stay distinct from text).
  static const std::array<QColor, 8> colors{QColor(0xe69f00), QColor(0x56b4e9), QColor(0x009e73), QColor(0xf0e442),
                                            QColor(0x0072b2), QColor(0xd55e00), QColor(0xcc79a7), QColor(0x999999)};
  return colors[static_cast<size_t>(label < 0 ? 0 : label) % colors.size()];
}

QColor expert_color(int64_t expert) {
  // From Paul Tol's colour-blind-safe schemes, chosen so each is at least 25 CIELAB units from every
  // class colour (and 31 from each other) and dark enough (L* <= 61) to read as text on white: a class
  // and an expert are never mistaken for one another.
  static const std::array<QColor, 8> colors{QColor(0x332288), QColor(0xee6677), QColor(0x228833), QColor(0x999933),
                                            QColor(0x882255), QColor(0x225555), QColor(0x661100), QColor(0x222255)};
  return colors[static_cast<size_t>(expert < 0 ? 0 : expert) % colors.size()];
}

QColor highlight_color() { return QColor(0xd62728); }

const std::vector<QRgb>& diverging_stops() {
  static const std::vector<QRgb> stops{0x2166ac, 0x92c5de, 0xf7f7f7, 0xf4a582, 0xb2182b};
  return stops;
}

QColor diverging_color(double value, double scale) {
  const std::vector<QRgb>& stops = diverging_stops();
  const double t = scale > 0 ? std::clamp(value / scale, -1.0, 1.0) : 0.0;
  const double position = (t + 1) / 2 * static_cast<double>(stops.size() - 1);
  const size_t low = std::min(static_cast<size_t>(position), stops.size() - 2);
  const double f = position - static_cast<double>(low);
  const QColor a(stops[low]), b(stops[low + 1]);
  return QColor::fromRgbF(static_cast<float>(a.redF() + f * (b.redF() - a.redF())), static_cast<float>(a.greenF() + f * (b.greenF() - a.greenF())),
                          static_cast<float>(a.blueF() + f * (b.blueF() - a.blueF())));
}

double largest_magnitude(const std::vector<double>& values) {
  double largest = 0;
  for (double v : values) largest = std::max(largest, std::abs(v));
  return largest;
}

}  // namespace ndtmoe::views
