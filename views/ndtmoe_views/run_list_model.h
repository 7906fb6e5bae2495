#pragma once
// The runs of a trace store as an item model for the workbench's runs browser: id, name, family, status,
// traced samples, and the student's and teacher's test score (accuracy, or RMSE for regression). Each
// row's run id is its Qt::UserRole data, so a sorted or filtered view still names the right run.

#include <QAbstractTableModel>
#include <vector>

#include "ndtmoe/store/trace_store.h"

namespace ndtmoe::views {

class RunListModel : public QAbstractTableModel {
  Q_OBJECT

 public:
  enum Column { Id, Name, Family, Status, Samples, Student, Teacher, Columns };

  explicit RunListModel(QObject* parent = nullptr);
  void set_runs(std::vector<RunSummary> runs);
  const RunSummary& run_at(int row) const { return runs_.at(static_cast<size_t>(row)); }

  int rowCount(const QModelIndex& parent = {}) const override;
  int columnCount(const QModelIndex& parent = {}) const override;
  QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
  QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

 private:
  std::vector<RunSummary> runs_;
};

}  // namespace ndtmoe::views
