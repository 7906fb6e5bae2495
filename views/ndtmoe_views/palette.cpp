#include "ndtmoe_views/palette.h"

#include <algorithm>
#include <array>

namespace ndtmoe::views {

QColor class_color(int64_t label) {
  static const std::array<QColor, 10> colors{QColor(0x4e79a7), QColor(0xf28e2b), QColor(0xe15759), QColor(0x76b7b2), QColor(0x59a14f),
                                             QColor(0xedc948), QColor(0xb07aa1), QColor(0xff9da7), QColor(0x9c755f), QColor(0xbab0ac)};
  return colors[static_cast<size_t>(label < 0 ? 0 : label) % colors.size()];
}

QColor expert_color(int64_t expert) {
  static const std::array<QColor, 12> colors{QColor(0x1b9e77), QColor(0xd95f02), QColor(0x7570b3), QColor(0xe7298a),
                                             QColor(0x66a61e), QColor(0xe6ab02), QColor(0xa6761d), QColor(0x666666),
                                             QColor(0x8dd3c7), QColor(0xbebada), QColor(0xfb8072), QColor(0x80b1d3)};
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

}  // namespace ndtmoe::views
