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

constexpr double kInnerWidth = 190, kInnerHeight = 74, kLeafWidth = 130, kLeafHeight = 70;

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
QGraphicsSimpleTextItem* add_text(QGraphicsItem* parent, const QString& text, const QPointF& top_left, double point_size, double width,
                                  bool bold = false) {
  auto* item = new QGraphicsSimpleTextItem(parent);
  QFont font = item->font();
  font.setPointSizeF(point_size);
  font.setBold(bold);
  item->setFont(font);
  item->setText(QFontMetricsF(font).elidedText(text, Qt::ElideRight, width));
  item->setPos(top_left);
  return item;
}

// A leaf's two strongest experts as text and its whole expert mix as a stacked bar.
void add_expert_mix(QGraphicsRectItem* leaf, const float* mix, int64_t experts) {
  const QRectF box = leaf->rect();
  std::vector<int64_t> order(static_cast<size_t>(experts));
  for (int64_t e = 0; e < experts; ++e) order[static_cast<size_t>(e)] = e;
  std::sort(order.begin(), order.end(), [&](int64_t a, int64_t b) { return mix[a] > mix[b]; });
  QStringList top;
  for (size_t r = 0; r < std::min<size_t>(2, order.size()); ++r) top << QObject::tr("E%1 %2").arg(order[r]).arg(percent(mix[order[r]]));
  add_text(leaf, top.join("  "), box.topLeft() + QPointF(5, 20), 7, box.width() - 10);
  double x = box.left() + 4;
  for (int64_t e : order) {
    const double w = (box.width() - 8) * mix[e];
    auto* part = new QGraphicsRectItem(x, box.top() + 38, w, 8, leaf);
    part->setBrush(expert_color(e));
    part->setPen(Qt::NoPen);
    x += w;
  }
}

// A row of colour swatches with names under the tree, so an exported figure explains its colours.
double add_legend(QGraphicsScene* scene, const QString& title, const std::vector<std::pair<QColor, QString>>& entries, double x, double y) {
  QFont font;
  font.setPointSizeF(7.5);
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
  const bool compact = depth > 6;  // deep trees: counts and bars only, so 1,024 leaves stay fluid
  const QSizeF inner(compact ? 70 : kInnerWidth, compact ? 34 : kInnerHeight), leaf(compact ? 60 : kLeafWidth, compact ? 34 : kLeafHeight);

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
      sizes.push_back(stub ? QSizeF(46, 22) : level == depth ? leaf : inner);
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
      add_text(item, QObject::tr("empty"), box.topLeft() + QPointF(4, 4), 7, box.width() - 8);
      tip = QObject::tr("No sample reaches this branch (%n node(s) below folded)", nullptr,
                        static_cast<int>((int64_t{2} << (depth - level)) - 2));
      item->setToolTip(tip);
      continue;
    }
    add_class_bar(item, c, QRectF(box.left() + 4, box.bottom() - 10, box.width() - 8, 6));
    if (compact) {
      add_text(item, QString::number(n), box.topLeft() + QPointF(4, 3), 7, box.width() - 8);
    } else if (level < depth) {
      const RouterLevel& params = router.level(tree_, level);
      const QString crisp = QString::fromStdString(crisp_condition(d, params, level, true).text);
      add_text(item, QObject::tr("level %1 · n = %2").arg(level).arg(n), box.topLeft() + QPointF(5, 3), 7.5, box.width() - 10, true);
      add_text(item, selection_text(*data_, params), box.topLeft() + QPointF(5, 20), 7, box.width() - 10);
      add_text(item, crisp, box.topLeft() + QPointF(5, 36), 7, box.width() - 10);
      tip += "\n" + selection_text(*data_, params) + QObject::tr("\ncrisp test (others at their mean): %1").arg(crisp);
    } else {
      add_text(item, QObject::tr("leaf %1 · n = %2").arg(node).arg(n), box.topLeft() + QPointF(5, 3), 7.5, box.width() - 10, true);
      add_expert_mix(item, router.leaf_experts.data() + (tree_ * leaves + node) * router.experts, router.experts);
    }
    item->setToolTip(tip);
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
  std::vector<std::pair<QColor, QString>> classes, experts;
  for (size_t c = 0; c < d.classes.size(); ++c) classes.emplace_back(class_color(static_cast<int64_t>(c)), data_->class_name(static_cast<int64_t>(c)));
  for (int64_t e = 0; e < router.experts; ++e) experts.emplace_back(expert_color(e), QObject::tr("E%1").arg(e));
  const double legend_y = layout.bounds.bottom() + 14;
  const double after_classes = classes.empty() ? 0.0 : add_legend(scene(), QObject::tr("Classes:"), classes, 0, legend_y);
  add_legend(scene(), QObject::tr("Experts:"), experts, classes.empty() ? 0.0 : after_classes + 20, legend_y);
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

void RoutingTreeView::show_selection(const Selection& s) {
  if (!data_) return;
  if (s.layer != layer_ || s.tree != tree_) {
    layer_ = std::min<int64_t>(s.layer, data_->summary().layers - 1);
    tree_ = std::max<int64_t>(0, std::min<int64_t>(s.tree, data_->summary().trees - 1));
    rebuild();
  }
  if (s.sample) highlight(data_->sample(*s.sample, s.token));
  else highlight(SampleTrace{});
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

void RoutingTreeView::set_hide_empty(bool hide) {
  if (hide == hide_empty_) return;
  hide_empty_ = hide;
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

QSize RoutingTreeView::figure_size() const { return scene()->sceneRect().size().toSize() + QSize(0, 30); }

void RoutingTreeView::paint_figure(QPaintDevice& device, const QRect& target) {
  QPainter painter(&device);
  painter.setRenderHints(QPainter::Antialiasing | QPainter::TextAntialiasing);
  const QRectF title(target.left(), target.top(), target.width(), 30.0 * target.height() / figure_size().height());
  painter.drawText(title, Qt::AlignCenter,
                   tr("Layer %1, tree %2 — edge width: share of samples; bars: classes (nodes), experts (leaves)").arg(layer_).arg(tree_));
  scene()->render(&painter, QRectF(target.left(), title.bottom(), target.width(), target.height() - title.height()), scene()->sceneRect());
}

void RoutingTreeView::write_figure_data(QTextStream& csv) const {
  csv << "layer,tree,level,node,samples,class,class_samples\n";
  if (!data_ || layer_ < 0) return;
  for (const TreeNodeCount& c : data_->tree_nodes(layer_, tree_)) {
    if (c.classes.empty()) csv << layer_ << ',' << tree_ << ',' << c.level << ',' << c.node << ',' << c.samples << ",,\n";
    for (const auto& [label, n] : c.classes)
      csv << layer_ << ',' << tree_ << ',' << c.level << ',' << c.node << ',' << c.samples << ',' << label << ',' << n << '\n';
  }
}

}  // namespace ndtmoe::views
