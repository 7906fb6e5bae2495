#pragma once
// The neuron dashboard of a run traced with neuron records (moe-x by default), in the manner of
// sparse-autoencoder feature dashboards: the selected layer's neurons — (expert, hidden unit) pairs of
// the layer seen as one wide MLP — in a table sortable by frequency, class selectivity, mean activation
// and ablation effect; for the chosen neuron its activation histogram, the classes of its top-50
// firings, its weights over the input features (an image for image data; first layer only, where they
// are exact), its strongest firings (thumbnails for images; a click selects the sample), and what
// silencing it does to the prediction on those samples. It follows the shared selection: the layer,
// an expert (the table lists that expert's neurons), and a sample (its firing neurons are listed, and
// the dashboard turns to its strongest one unless the shown neuron fired on it).

#include <QWidget>
#include <memory>
#include <optional>
#include <vector>

#include "ndtmoe_views/figure_export.h"
#include "ndtmoe_views/run_data.h"
#include "ndtmoe_views/selection.h"

class QCustomPlot;
class QLabel;
class QListWidget;
class QListWidgetItem;
class QTableWidget;

namespace ndtmoe::views {

class NeuronDashboardView : public QWidget, public Figure {
  Q_OBJECT

 public:
  explicit NeuronDashboardView(SelectionModel& selection, QWidget* parent = nullptr);
  void set_run(std::shared_ptr<RunData> data);
  // Shows a neuron of the current layer (expert * units + unit); false when the layer has no such neuron.
  bool show_neuron(int64_t neuron);

  // What is shown, for tests: the layer, the listed neurons in table order, the shown neuron's summary,
  // its class bars (class -> share of its top-50 firings) and the firings listed, the input weights
  // drawn (empty when not stored), and the selected sample's firing neurons (strongest first).
  bool has_neurons() const { return !layers_.empty(); }
  int64_t layer() const { return layer_; }
  std::vector<int64_t> listed_neurons() const;
  const std::optional<NeuronSummary>& neuron() const { return neuron_; }
  const std::vector<std::pair<int64_t, double>>& class_shares() const { return class_shares_; }
  std::vector<int64_t> listed_firing_samples() const;
  const std::vector<float>& input_weights() const { return input_weights_; }
  const std::vector<std::pair<int32_t, float>>& sample_neurons() const { return sample_neurons_; }
  QTableWidget* table() const { return table_; }
  QListWidget* firings() const { return firings_; }
  QCustomPlot* plot() const { return plot_; }
  QString summary_text() const;
  // A neuron as the views name it: "e3·u17".
  QString neuron_name(int64_t neuron) const;

  QString figure_name() const override;
  QSize figure_size() const override;
  void paint_figure(QPaintDevice& device, const QRect& target) override;
  void write_figure_data(QTextStream& csv) const override;

 private:
  void show_selection(const Selection& selection);
  void load_layer(int64_t layer);
  void fill_table();
  void rebuild_plot();
  void fill_firings();
  void firing_clicked(QListWidgetItem* item);
  const NeuronLayer* current_layer() const;

  SelectionModel& selection_;
  std::shared_ptr<RunData> data_;
  std::vector<NeuronLayer> layers_;
  std::vector<NeuronSummary> neurons_;  // of the current layer, by neuron
  int64_t layer_ = -1;
  std::optional<int64_t> expert_filter_, sample_;
  std::optional<NeuronSummary> neuron_;
  std::vector<std::pair<int64_t, double>> class_shares_;
  std::vector<float> input_weights_;
  std::vector<std::pair<int32_t, float>> sample_neurons_;
  QTableWidget* table_;
  QCustomPlot* plot_;
  QListWidget* firings_;
  QLabel* summary_;
};

}  // namespace ndtmoe::views
