#pragma once
// Samples: a filterable table over the trace store (an item model over query results, not a widget
// copy). The selection's node, expert or class cell narrows it; check boxes add misclassified,
// student-teacher disagreement and low confidence; selecting a row selects the sample everywhere. The
// rows are queried on the store's worker thread: on a large store the window stays responsive.

#include <QAbstractTableModel>
#include <QWidget>
#include <memory>

#include "ndtmoe_views/figure_export.h"
#include "ndtmoe_views/run_data.h"
#include "ndtmoe_views/selection.h"

class QCheckBox;
class QDoubleSpinBox;
class QLabel;
class QTableView;

namespace ndtmoe::views {

class SampleTableModel : public QAbstractTableModel {
  Q_OBJECT

 public:
  using QAbstractTableModel::QAbstractTableModel;
  void set_rows(std::shared_ptr<RunData> data, std::vector<SampleRow> rows);
  int rowCount(const QModelIndex& parent = {}) const override;
  int columnCount(const QModelIndex& parent = {}) const override;
  QVariant data(const QModelIndex& index, int role) const override;
  QVariant headerData(int section, Qt::Orientation orientation, int role) const override;
  const SampleRow& row(int r) const { return rows_.at(static_cast<size_t>(r)); }
  int row_of(int64_t sample) const;  // -1 when not listed

 private:
  std::shared_ptr<RunData> data_;
  std::vector<SampleRow> rows_;
};

class SamplesView : public QWidget, public Figure {
  Q_OBJECT

 public:
  explicit SamplesView(SelectionModel& selection, QWidget* parent = nullptr);
  void set_run(std::shared_ptr<RunData> data);
  SampleTableModel& model() { return model_; }
  QTableView* table() const { return table_; }
  bool loading() const { return delivered_ != requested_; }  // a query for the current filters is on its way

  QString figure_name() const override;
  QSize figure_size() const override;
  void paint_figure(QPaintDevice& device, const QRect& target) override;
  void write_figure_data(QTextStream& csv) const override;

 private:
  void refresh();
  void show_rows(std::vector<SampleRow> rows);
  void select_current_sample();
  void show_selection(const Selection& selection);

  SelectionModel& selection_;
  std::shared_ptr<RunData> data_;
  SampleTableModel model_;
  QTableView* table_;
  QCheckBox *misclassified_, *disagreement_, *low_confidence_;
  QDoubleSpinBox* confidence_;
  QLabel* scope_;
  Selection shown_;
  int64_t requested_ = 0, delivered_ = 0;  // generations of the row queries
};

}  // namespace ndtmoe::views
