#include "ndtmoe_views/routing_tree_view.h"

#include <QGraphicsRectItem>
#include <QGraphicsSceneMouseEvent>
#include <QGraphicsSimpleTextItem>
#include <QGraphicsTextItem>
#include <QPainter>
#include <QWheelEvent>
#include <cmath>
#include <functional>

#include "ndtmoe/analysis/rules.h"
#include "ndtmoe_views/palette.h"
#include "ndtmoe_views/tree_layout.h"

namespace ndtmoe::views {

// A node box: its text, a bar of the classes (or a plain bar for regression) reaching it, clickable.
class NodeItem : public QGraphicsRectItem {
 public:
  NodeItem(int64_t level, int64_t node, const QSizeF& size, std::function<void(int64_t, int64_t)> on_click)
      : QGraphicsRectItem(-size.width() / 2, -size.height() / 2, size.width(), size.height()), level_(level), node_(node),
        on_click_(std::move(on_click)) {
    setBrush(Qt::white);
    setPen(QPen(QColor(0x555555), 1));
    setCursor(Qt::PointingHandCursor);
  }
  int64_t level() const { return level_; }
  int64_t node() const { return node_; }
  // A stub stands for a folded branch that no sample reaches: dashed and grey.
  void set_stub() {
    stub_ = true;
    set_emphasis(false, false);
  }
  void set_emphasis(bool selected, bool on_path) {
    QPen pen(on_path ? highlight_color() : selected ? QColor(0x1f77b4) : stub_ ? QColor(0x9e9e9e) : QColor(0x555555), on_path || selected ? 3 : 1);
    if (stub_) pen.setStyle(Qt::DashLine);
    setPen(pen);
    setBrush(selected ? QColor(0xe8f1fa) : QColor(Qt::white));
  }

 protected:
  void mousePressEvent(QGraphicsSceneMouseEvent* event) override {
    if (event->button() == Qt::LeftButton) on_click_(level_, node_);
    QGraphicsRectItem::mousePressEvent(event);
  }

 private:
  int64_t level_, node_;
  bool stub_ = false;
  std::function<void(int64_t, int64_t)> on_click_;
};

namespace {

// Node text is 9 pt at 100% zoom (readable on screen and in a figure at its own size); boxes fit it.
constexpr double kInnerWidth = 240, kInnerHeight = 92, kLeafWidth = 165, kLeafHeight = 88, kTextPt = 9;

int64_t index_of(int64_t level, int64_t node) { return (int64_t{1} << level) - 1 + node; }

QString percent(double share) { return QString::number(100.0 * share, 'f', share < 0.1 ? 1 : 0) + "%"; }

// "0.72 f3 + 0.28 f1 > 0.51": the level's selection, at most two inputs named.
QString selection_text(const RunData& data, const RouterLevel& level) {
  QStringList parts;
  for (size_t k = 0; k < std::min<size_t>(2, level.selectors.size()); ++k)
    parts << QString::number(level.selectors[k].second, 'f', 2) + " " + data.input_name(level.selectors[k].first);
  if (level.selectors.size() > 2) parts << QObject::tr("%n more", nullptr, static_cast<int>(level.selectors.size() - 2));
  return parts.join(" + ") + " > " + QString::number(level.threshold, 'g', 3);
}

void add_class_bar(QGraphicsRectItem* parent, const TreeNodeCount* counts, const QRectF& bar) {
  if (!counts || counts->samples == 0) return;
  if (counts->classes.empty()) {
    auto* all = new QGraphicsRectItem(bar, parent);
    all->setBrush(QColor(0x9e9e9e));
    all->setPen(Qt::NoPen);
    return;
  }
  double x = bar.left();
  for (const auto& [label, n] : counts->classes) {
    const double w = bar.width() * static_cast<double>(n) / static_cast<double>(counts->samples);
    auto* part = new QGraphicsRectItem(x, bar.top(), w, bar.height(), parent);
    part->setBrush(class_color(label));
    part->setPen(Qt::NoPen);
    x += w;
  }
}

// Text elided to `width` (the full text goes to the node's tooltip).
// Text cut to `width`; tests are cut in the middle, so a long feature name never hides the threshold.
QGraphicsSimpleTextItem* add_text(QGraphicsItem* parent, const QString& text, const QPointF& top_left, double point_size, double width,
                                  bool bold = false, Qt::TextElideMode elide = Qt::ElideRight) {
  auto* item = new QGraphicsSimpleTextItem(parent);
  QFont font = item->font();
  font.setPointSizeF(point_size);
  font.setBold(bold);
  item->setFont(font);
  item->setText(QFontMetricsF(font).elidedText(text, elide, width));
  item->setPos(top_left);
  return item;
}

// A leaf's bar and its two largest parts: the shares of the leaf's samples by their top-1 expert, as
// measured in the store (what the leaf's samples went to, not the router's leaf-to-expert weights).
void add_expert_shares(QGraphicsRectItem* leaf, const std::vector<double>& shares) {
  const QRectF box = leaf->rect();
  std::vector<int64_t> order(shares.size());
  for (size_t e = 0; e < shares.size(); ++e) order[e] = static_cast<int64_t>(e);
  std::sort(order.begin(), order.end(), [&](int64_t a, int64_t b) { return shares[static_cast<size_t>(a)] > shares[static_cast<size_t>(b)]; });
  QStringList top;
  for (size_t r = 0; r < std::min<size_t>(2, order.size()); ++r)
    if (shares[static_cast<size_t>(order[r])] > 0) top << QObject::tr("E%1 %2").arg(order[r]).arg(percent(shares[static_cast<size_t>(order[r])]));
  add_text(leaf, top.join("  "), box.topLeft() + QPointF(5, 24), kTextPt, box.width() - 10);
  double x = box.left() + 4;
  for (int64_t e : order) {
    const double w = (box.width() - 8) * shares[static_cast<size_t>(e)];
    auto* part = new QGraphicsRectItem(x, box.top() + 46, w, 9, leaf);
    part->setBrush(expert_color(e));
    part->setPen(Qt::NoPen);
    x += w;
  }
}

// "E3 31%, E1 25%, …": the router's leaf-to-expert mapping weights, for the tooltip.
QString mapping_text(const float* mix, int64_t experts) {
  std::vector<int64_t> order(static_cast<size_t>(experts));
  for (int64_t e = 0; e < experts; ++e) order[static_cast<size_t>(e)] = e;
  std::sort(order.begin(), order.end(), [&](int64_t a, int64_t b) { return mix[a] > mix[b]; });
  QStringList parts;
  for (int64_t e : order) parts << QObject::tr("E%1 %2").arg(e).arg(percent(mix[e]));
  return parts.join(", ");
}

// A row of colour swatches with names under the tree, so an exported figure explains its colours.
double add_legend(QGraphicsScene* scene, const QString& title, const std::vector<std::pair<QColor, QString>>& entries, double x, double y) {
  QFont font;
  font.setPointSizeF(kTextPt);
  auto* heading = scene->addSimpleText(title, font);
  heading->setPos(x, y);
  x += heading->boundingRect().width() + 8;
  for (const auto& [color, name] : entries) {
    scene->addRect(x, y + 3, 10, 10, QPen(Qt::NoPen), color);
    auto* label = scene->addSimpleText(name, font);
    label->setPos(x + 14, y);
    x += 14 + label->boundingRect().width() + 12;
  }
  return x;
}

}  // namespace

RoutingTreeView::RoutingTreeView(SelectionModel& selection, QWidget* parent) : QGraphicsView(parent), selection_(selection) {
  setScene(new QGraphicsScene(this));
  setRenderHints(QPainter::Antialiasing | QPainter::TextAntialiasing);
  setDragMode(QGraphicsView::ScrollHandDrag);
  setTransformationAnchor(QGraphicsView::AnchorUnderMouse);
  setBackgroundBrush(Qt::white);
  connect(&selection_, &SelectionModel::changed, this, &RoutingTreeView::show_selection);
}

void RoutingTreeView::set_run(std::shared_ptr<RunData> data) {
  data_ = std::move(data);
  what_if_.reset();
  layer_ = tree_ = -1;
  show_selection(selection_.current());
}

void RoutingTreeView::rebuild() {
  scene()->clear();
  nodes_.clear();
  edges_.clear();
  if (!data_ || layer_ < 0) return;
  const RunDescription& d = data_->description();
  if (static_cast<size_t>(layer_) >= d.routers.size()) {
    auto* note = scene()->addText(tr("This run's student is of family %1, whose router has no decision tree.\n"
                                     "Its routing is in the decision path, utilization and samples views.")
                                      .arg(QString::fromStdString(data_->summary().family)));
    note->setDefaultTextColor(palette().color(QPalette::Text));
    return;
  }
  const RouterParameters& router = d.routers.at(static_cast<size_t>(layer_));
  const int64_t depth = router.depth, leaves = int64_t{1} << depth;
  const std::vector<TreeNodeCount>& counts = data_->tree_nodes(layer_, tree_);
  std::vector<const TreeNodeCount*> count_of(static_cast<size_t>(2 * leaves - 1), nullptr);
  for (const TreeNodeCount& c : counts) count_of[static_cast<size_t>(index_of(c.level, c.node))] = &c;
  const double total = std::max<double>(1.0, count_of[0] ? static_cast<double>(count_of[0]->samples) : 0.0);
  const double legend_y = icicle_ ? layout_icicle(router, count_of, total) : layout_node_link(router, count_of, total);
  std::vector<std::pair<QColor, QString>> classes, experts;
  for (size_t c = 0; c < d.classes.size(); ++c) classes.emplace_back(class_color(static_cast<int64_t>(c)), data_->class_name(static_cast<int64_t>(c)));
  for (int64_t e = 0; e < router.experts; ++e) experts.emplace_back(expert_color(e), QObject::tr("E%1").arg(e));
  const double after_classes = classes.empty() ? 0.0 : add_legend(scene(), QObject::tr("Classes:"), classes, 0, legend_y);
  add_legend(scene(), QObject::tr("Experts (leaf bars: its samples by top-1 expert):"), experts, classes.empty() ? 0.0 : after_classes + 20, legend_y);
  scene()->setSceneRect(scene()->itemsBoundingRect().adjusted(-20, -20, 20, 20));
  // A deep tree fitted whole is a thin line: start readable at the root instead (Fit shows it all).
  const double fitted = std::min(viewport()->width() / scene()->sceneRect().width(), viewport()->height() / scene()->sceneRect().height());
  if (fitted >= 0.3) {
    fit_all();
  } else {
    resetTransform();
    scale(0.8, 0.8);
    centerOn(nodes_.front()->pos() + QPointF(0, viewport()->height() * 0.4));
  }
}

void RoutingTreeView::decorate(QGraphicsRectItem* item, int64_t level, int64_t node, const TreeNodeCount* c, double total, const RouterParameters& router,
                               bool compact) {
  const RunDescription& d = data_->description();
  const int64_t depth = router.depth, leaves = int64_t{1} << depth;
  const QRectF box = item->rect();
  const int64_t n = c ? c->samples : 0;
  QString tip = QObject::tr("%1 samples (%2 of all)").arg(n).arg(percent(static_cast<double>(n) / total));
  add_class_bar(item, c, QRectF(box.left() + 4, box.bottom() - 13, box.width() - 8, 8));
  if (compact) {
    add_text(item, QString::number(n), box.topLeft() + QPointF(4, 3), kTextPt, box.width() - 8);
  } else if (level < depth) {
    const RouterLevel& params = router.level(tree_, level);
    const CrispCondition condition = crisp_condition(d, params, level, true);
    const QString crisp = QString::fromStdString(condition.text);
    add_text(item, QObject::tr("level %1 · n = %2").arg(level).arg(n), box.topLeft() + QPointF(5, 3), kTextPt, box.width() - 10, true);
    add_text(item, selection_text(*data_, params), box.topLeft() + QPointF(5, 24), kTextPt, box.width() - 10, false, Qt::ElideMiddle);
    add_text(item, crisp, box.topLeft() + QPointF(5, 45), kTextPt, box.width() - 10, false, Qt::ElideMiddle);
    tip += "\n" + selection_text(*data_, params);
    tip += condition.exact ? QObject::tr("\ntest (exact: one input selected): %1").arg(crisp)
                           : QObject::tr("\napproximate one-input test (the others at their mean): %1\nwhole test (standardized inputs): %2")
                                 .arg(crisp, QString::fromStdString(linear_test_text(d, params)));
  } else {
    add_text(item, QObject::tr("leaf %1 · n = %2").arg(node).arg(n), box.topLeft() + QPointF(5, 3), kTextPt, box.width() - 10, true);
    std::vector<double> shares(static_cast<size_t>(router.experts), 0.0);
    QStringList measured;
    for (const CountCell& cell : data_->leaf_experts(layer_, tree_))
      if (cell.row == node && n > 0) {
        shares[static_cast<size_t>(cell.column)] = static_cast<double>(cell.samples) / static_cast<double>(n);
        measured << QObject::tr("E%1 %2 (%3)").arg(cell.column).arg(percent(shares[static_cast<size_t>(cell.column)])).arg(cell.samples);
      }
    add_expert_shares(item, shares);
    tip += QObject::tr("\nits samples by top-1 expert: %1").arg(measured.isEmpty() ? QObject::tr("none") : measured.join(", "));
    tip += QObject::tr("\nleaf-to-expert mapping weights (router parameters): %1")
               .arg(mapping_text(router.leaf_experts.data() + (tree_ * leaves + node) * router.experts, router.experts));
  }
  item->setToolTip(tip);
}

double RoutingTreeView::layout_icicle(const RouterParameters& router, const std::vector<const TreeNodeCount*>& count_of, double total) {
  // Levels as rows, each node as wide as its share of the samples, children in the parent's span (left
  // branch first): a deep or wide tree stays legible where its samples are, and what no sample reaches
  // takes no room.
  constexpr double kWidth = 1100, kRow = kInnerHeight + 10;
  const int64_t depth = router.depth;
  const auto samples = [&](int64_t k) { return count_of[static_cast<size_t>(k)] ? static_cast<double>(count_of[static_cast<size_t>(k)]->samples) : 0.0; };
  std::vector<double> left(count_of.size(), 0.0), width(count_of.size(), 0.0);
  width[0] = samples(0) > 0 ? kWidth : 0.0;
  drawn_as_.assign(count_of.size(), -1);
  const auto click = [this](int64_t level, int64_t node) { selection_.select_node(layer_, tree_, level, node); };
  for (int64_t level = 0; level <= depth; ++level)
    for (int64_t node = 0; node < (int64_t{1} << level); ++node) {
      const int64_t k = index_of(level, node);
      if (level > 0) {
        const int64_t half = int64_t{1} << (level - 1), parent = index_of(level - 1, node % half);
        const int64_t left_child = index_of(level, node % half), right_child = index_of(level, node % half + half);
        const double both = samples(left_child) + samples(right_child);
        const double left_width = both > 0 ? width[static_cast<size_t>(parent)] * samples(left_child) / both : 0.0;
        const bool right = node >= half;
        left[static_cast<size_t>(k)] = left[static_cast<size_t>(parent)] + (right ? left_width : 0.0);
        width[static_cast<size_t>(k)] = right ? width[static_cast<size_t>(parent)] - left_width : left_width;
      }
      const double w = width[static_cast<size_t>(k)];
      auto* item = new NodeItem(level, node, QSizeF(std::max(w - 2, 0.5), kRow - 10), click);
      item->setPos(left[static_cast<size_t>(k)] + w / 2, static_cast<double>(level) * kRow);
      item->setZValue(1);
      item->setVisible(w >= 1);
      scene()->addItem(item);
      drawn_as_[static_cast<size_t>(k)] = static_cast<int>(nodes_.size());
      nodes_.push_back(item);
      decorate(item, level, node, count_of[static_cast<size_t>(k)], total, router, /*compact=*/w < 150);
    }
  edges_.assign(nodes_.size(), nullptr);
  return static_cast<double>(depth) * kRow + kRow / 2 + 6;
}

double RoutingTreeView::layout_node_link(const RouterParameters& router, const std::vector<const TreeNodeCount*>& count_of, double total) {
  const int64_t depth = router.depth, leaves = int64_t{1} << depth;
  const bool compact = depth > kCompactBeyondDepth;  // deep trees: counts and bars only, so 1,024 leaves stay fluid
  const QSizeF inner(compact ? 76 : kInnerWidth, compact ? 40 : kInnerHeight), leaf(compact ? 66 : kLeafWidth, compact ? 40 : kLeafHeight);

  // Which tree nodes are drawn: all, or with hide_empty only those whose parent some sample reaches
  // (an unreached child is drawn as a stub that stands for its whole empty subtree).
  const auto reached = [&](int64_t k) { return count_of[static_cast<size_t>(k)] && count_of[static_cast<size_t>(k)]->samples > 0; };
  drawn_as_.assign(static_cast<size_t>(2 * leaves - 1), -1);
  struct Drawn {
    int64_t level, node, index;  // index: [2^level - 1 + node]
    bool stub;
  };
  std::vector<Drawn> drawn;  // one per nodes_ entry
  std::vector<QSizeF> sizes;
  std::vector<std::pair<int, int>> edges;
  for (int64_t level = 0; level <= depth; ++level)  // level order: parents before children
    for (int64_t node = 0; node < (int64_t{1} << level); ++node) {
      const int64_t k = index_of(level, node);
      const int64_t parent = level > 0 ? index_of(level - 1, node % (int64_t{1} << (level - 1))) : -1;
      if (parent >= 0 && hide_empty_ && !reached(parent)) {
        drawn_as_[static_cast<size_t>(k)] = drawn_as_[static_cast<size_t>(parent)];
        continue;
      }
      drawn_as_[static_cast<size_t>(k)] = static_cast<int>(drawn.size());
      const bool stub = hide_empty_ && !reached(k) && level < depth;
      sizes.push_back(stub ? QSizeF(56, 26) : level == depth ? leaf : inner);
      if (parent >= 0) edges.emplace_back(drawn_as_[static_cast<size_t>(parent)], static_cast<int>(drawn.size()));
      drawn.push_back({level, node, k, stub});
    }
  // Edges are made in level order, so with dot's ordering=out node n's children come out as n (left),
  // then n + 2^level (right).
  const TreeLayout layout = layout_with_dot(sizes, edges);

  const auto click = [this](int64_t level, int64_t node) { selection_.select_node(layer_, tree_, level, node); };
  for (size_t i = 0; i < drawn.size(); ++i) {
    const auto [level, node, k, stub] = drawn[i];
    auto* item = new NodeItem(level, node, sizes[i], click);
    item->setPos(layout.centers[i]);
    item->setZValue(1);
    scene()->addItem(item);
    nodes_.push_back(item);
    const QRectF box = item->rect();
    const TreeNodeCount* c = count_of[static_cast<size_t>(k)];
    const int64_t n = c ? c->samples : 0;
    QString tip = QObject::tr("%1 samples (%2 of all)").arg(n).arg(percent(static_cast<double>(n) / total));
    if (stub) {
      item->set_stub();
      add_text(item, QObject::tr("empty"), box.topLeft() + QPointF(4, 4), kTextPt, box.width() - 8);
      tip = QObject::tr("No sample reaches this branch (%n node(s) below folded)", nullptr,
                        static_cast<int>((int64_t{2} << (depth - level)) - 2));
      item->setToolTip(tip);
      continue;
    }
    decorate(item, level, node, c, total, router, compact);
  }
  edges_.assign(nodes_.size(), nullptr);
  for (size_t e = 0; e < layout.edges.size(); ++e) {
    const int to = edges[e].second;
    const TreeNodeCount* c = count_of[static_cast<size_t>(drawn[static_cast<size_t>(to)].index)];
    const double share = c ? static_cast<double>(c->samples) / total : 0.0;
    auto* path = scene()->addPath(layout.edges[e], QPen(QColor(0x8c8c8c), 1.0 + 12.0 * share, share > 0 ? Qt::SolidLine : Qt::DotLine, Qt::RoundCap));
    path->setToolTip(QObject::tr("%1 of the samples").arg(percent(share)));
    edges_[static_cast<size_t>(to)] = path;
  }
  return layout.bounds.bottom() + 14;
}

void RoutingTreeView::show_selection(const Selection& s) {
  if (!data_) return;
  if (s.layer != layer_ || s.tree != tree_) {
    layer_ = std::min<int64_t>(s.layer, data_->summary().layers - 1);
    tree_ = std::max<int64_t>(0, std::min<int64_t>(s.tree, data_->summary().trees - 1));
    rebuild();
  }
  if (what_if_ && (!s.sample || what_if_->sample != *s.sample)) what_if_.reset();  // an edit belongs to its sample
  if (what_if_) highlight(*what_if_);
  else if (s.sample) highlight(data_->sample(*s.sample, s.token));
  else highlight(SampleTrace{});
}

void RoutingTreeView::show_what_if(std::optional<SampleTrace> edited) {
  what_if_ = std::move(edited);
  show_selection(selection_.current());
}

void RoutingTreeView::highlight(const SampleTrace& trace) {
  if (!data_) return;
  const Selection& s = selection_.current();
  on_path_.assign(nodes_.size(), false);
  if (static_cast<size_t>(layer_) < trace.layers.size() && !nodes_.empty()) {
    // A path into a folded branch ends at the branch's stub.
    const int32_t leaf = trace.layers[static_cast<size_t>(layer_)].leaves.at(static_cast<size_t>(tree_));
    for (int64_t level = 0; level <= data_->summary().depth; ++level)
      on_path_[static_cast<size_t>(drawn_as_[static_cast<size_t>(index_of(level, leaf % (int64_t{1} << level)))])] = true;
  }
  for (size_t i = 0; i < nodes_.size(); ++i) {
    NodeItem* item = nodes_[i];
    const bool selected = s.tree_level() == item->level() && s.tree_node() == item->node();
    item->set_emphasis(selected, on_path_[i]);
    if (edges_[i]) {
      QPen pen = edges_[i]->pen();
      pen.setColor(on_path_[i] ? highlight_color() : QColor(0x8c8c8c));
      edges_[i]->setPen(pen);
    }
  }
}

void RoutingTreeView::set_icicle(bool icicle) { set_drawing_option(icicle_, icicle); }

void RoutingTreeView::set_hide_empty(bool hide) { set_drawing_option(hide_empty_, hide); }

void RoutingTreeView::set_drawing_option(bool& option, bool value) {
  if (option == value) return;
  option = value;
  if (!data_ || layer_ < 0) return;
  rebuild();
  show_selection(selection_.current());
}

std::vector<std::pair<int64_t, int64_t>> RoutingTreeView::highlighted() const {
  std::vector<std::pair<int64_t, int64_t>> path;
  for (size_t k = 0; k < on_path_.size(); ++k)
    if (on_path_[k]) path.emplace_back(nodes_[k]->level(), nodes_[k]->node());
  return path;
}

void RoutingTreeView::fit_all() { fitInView(scene()->sceneRect(), Qt::KeepAspectRatio); }

void RoutingTreeView::wheelEvent(QWheelEvent* event) {
  const double factor = std::pow(1.0015, event->angleDelta().y());
  scale(factor, factor);
}

QString RoutingTreeView::figure_name() const { return QString("routing-tree-layer%1-tree%2").arg(layer_).arg(tree_); }

QString RoutingTreeView::figure_caption() const {
  QString caption = tr("Layer %1, tree %2. Edge width: share of samples. Node bars: classes; leaf bars: the leaf's samples by "
                       "their top-1 expert. Node text: the level's test over standardized inputs and its one-input form (≈: approximate).")
                        .arg(layer_)
                        .arg(tree_);
  const Selection& s = selection_.current();
  if (s.sample && std::any_of(on_path_.begin(), on_path_.end(), [](bool on) { return on; }))
    caption += " " + (what_if_ ? tr("Outlined: the path of sample %1 as edited in what-if.") : tr("Outlined: the path of sample %1.")).arg(*s.sample);
  return caption;
}

QSize RoutingTreeView::figure_size() const { return scene()->sceneRect().size().toSize() + QSize(0, 48); }

void RoutingTreeView::paint_figure(QPaintDevice& device, const QRect& target) {
  QPainter painter(&device);
  painter.setRenderHints(QPainter::Antialiasing | QPainter::TextAntialiasing);
  painter.fillRect(target, Qt::white);
  // The caption wraps to the figure's width; the tree takes the rest, in proportion.
  QFont font = painter.font();
  font.setPointSizeF(8);
  painter.setFont(font);
  painter.setPen(Qt::black);
  const QRectF room(target.left() + 4, target.top() + 2, target.width() - 8, target.height());
  const QRectF caption = painter.boundingRect(room, Qt::AlignLeft | Qt::AlignTop | Qt::TextWordWrap, figure_caption());
  painter.drawText(caption, Qt::AlignLeft | Qt::AlignTop | Qt::TextWordWrap, figure_caption());
  scene()->render(&painter, QRectF(target.left(), caption.bottom() + 4, target.width(), target.height() - caption.height() - 6), scene()->sceneRect());
}

namespace {

QString joined(const std::vector<std::pair<QString, double>>& parts) {
  QStringList all;
  for (const auto& [name, value] : parts) all << name + "=" + QString::number(value, 'g', 4);
  return all.join(';');
}

}  // namespace

void RoutingTreeView::write_figure_data(QTextStream& csv) const {
  // One row per node with everything drawn on it: the counts by class (names), the level's whole test
  // and its one-input form, and for leaves the measured shares by expert and the router's mapping.
  csv << "layer,tree,level,node,samples,classes,test,one_input_test,exact,threshold,expert_shares,leaf_to_expert_weights\n";
  if (!data_ || layer_ < 0 || static_cast<size_t>(layer_) >= data_->description().routers.size()) return;
  const RunDescription& d = data_->description();
  const RouterParameters& router = d.routers.at(static_cast<size_t>(layer_));
  const std::vector<CountCell>& leaf_experts = data_->leaf_experts(layer_, tree_);
  for (const TreeNodeCount& c : data_->tree_nodes(layer_, tree_)) {
    std::vector<std::pair<QString, double>> classes, shares, mapping;
    for (const auto& [label, n] : c.classes) classes.emplace_back(data_->class_name(label), static_cast<double>(n));
    QString test, one_input, exact, threshold;
    if (c.level < router.depth) {
      const RouterLevel& level = router.level(tree_, c.level);
      const CrispCondition condition = crisp_condition(d, level, c.level, true);
      test = QString::fromStdString(linear_test_text(d, level));
      one_input = QString::fromStdString(condition.text);
      exact = condition.exact ? "true" : "false";
      threshold = QString::number(level.threshold, 'g', 6);
    } else {
      for (const CountCell& cell : leaf_experts)
        if (cell.row == c.node && c.samples > 0) shares.emplace_back(QString("E%1").arg(cell.column), static_cast<double>(cell.samples) / c.samples);
      const float* mix = router.leaf_experts.data() + (tree_ * (int64_t{1} << router.depth) + c.node) * router.experts;
      for (int64_t e = 0; e < router.experts; ++e) mapping.emplace_back(QString("E%1").arg(e), mix[e]);
    }
    csv << layer_ << ',' << tree_ << ',' << c.level << ',' << c.node << ',' << c.samples << ',' << csv_field(joined(classes)) << ','
        << csv_field(test) << ',' << csv_field(one_input) << ',' << exact << ',' << threshold << ',' << csv_field(joined(shares)) << ','
        << csv_field(joined(mapping)) << '\n';
  }
}

}  // namespace ndtmoe::views
