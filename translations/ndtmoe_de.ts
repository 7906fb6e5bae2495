<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="de" sourcelanguage="en">
<context>
    <name>FigureExport</name>
    <message>
        <location filename="../views/ndtmoe_views/figure_export.cpp" line="64"/>
        <source>Single column (3.5 in, 8 pt)</source>
        <translation>Einspaltig (3,5 in, 8 pt)</translation>
    </message>
    <message>
        <location filename="../views/ndtmoe_views/figure_export.cpp" line="65"/>
        <source>Double column (7.16 in, 8 pt)</source>
        <translation>Zweispaltig (7,16 in, 8 pt)</translation>
    </message>
</context>
<context>
    <name>QObject</name>
    <message>
        <location filename="../views/ndtmoe_views/figure_export.cpp" line="51"/>
        <source>could not write %1</source>
        <translation>konnte %1 nicht schreiben</translation>
    </message>
    <message>
        <location filename="../views/ndtmoe_views/figure_export.cpp" line="56"/>
        <source>could not replace %1</source>
        <translation>konnte %1 nicht ersetzen</translation>
    </message>
    <message>
        <location filename="../views/ndtmoe_views/figure_export.cpp" line="109"/>
        <source>NDT-MoE Workbench figure</source>
        <translation>Abbildung der NDT-MoE Workbench</translation>
    </message>
    <message>
        <location filename="../views/ndtmoe_views/figure_export.cpp" line="180"/>
        <source>cannot create the folder %1</source>
        <translation>kann den Ordner %1 nicht anlegen</translation>
    </message>
    <message>
        <location filename="../views/ndtmoe_views/figure_export.cpp" line="171"/>
        <location filename="../views/ndtmoe_views/figure_export.cpp" line="175"/>
        <source>cannot write %1</source>
        <translation>kann %1 nicht schreiben</translation>
    </message>
    <message numerus="yes">
        <location filename="../views/ndtmoe_views/routing_tree_view.cpp" line="68"/>
        <source>%n more</source>
        <translation>
            <numerusform>%n weitere</numerusform>
            <numerusform>%n weitere</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../views/ndtmoe_views/routing_tree_view.cpp" line="212"/>
        <location filename="../views/ndtmoe_views/routing_tree_view.cpp" line="326"/>
        <source>%1 samples (%2 of all)</source>
        <translation>%1 Stichproben (%2 aller)</translation>
    </message>
    <message>
        <location filename="../views/ndtmoe_views/routing_tree_view.cpp" line="329"/>
        <source>empty</source>
        <translation>leer</translation>
    </message>
    <message numerus="yes">
        <location filename="../views/ndtmoe_views/routing_tree_view.cpp" line="330"/>
        <source>No sample reaches this branch (%n node(s) below folded)</source>
        <translation>
            <numerusform>Keine Stichprobe erreicht diesen Zweig (%n Knoten darunter eingeklappt)</numerusform>
            <numerusform>Keine Stichprobe erreicht diesen Zweig (%n Knoten darunter eingeklappt)</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../views/ndtmoe_views/path_figure.cpp" line="78"/>
        <location filename="../views/ndtmoe_views/routing_tree_view.cpp" line="220"/>
        <source>level %1 · n = %2</source>
        <translation>Ebene %1 · n = %2</translation>
    </message>
    <message>
        <location filename="../views/ndtmoe_views/path_figure.cpp" line="102"/>
        <source>%1 → %2, p(right) = %3</source>
        <translation>%1 → %2, p(rechts) = %3</translation>
    </message>
    <message>
        <location filename="../views/ndtmoe_views/path_figure.cpp" line="102"/>
        <source>right</source>
        <translation>rechts</translation>
    </message>
    <message>
        <location filename="../views/ndtmoe_views/path_figure.cpp" line="102"/>
        <source>left</source>
        <translation>links</translation>
    </message>
    <message>
        <location filename="../views/ndtmoe_views/path_figure.cpp" line="118"/>
        <source>Sample %1 (%2): student %3</source>
        <translation>Stichprobe %1 (%2): Schüler %3</translation>
    </message>
    <message>
        <location filename="../views/ndtmoe_views/path_figure.cpp" line="119"/>
        <source>, label %1</source>
        <translation>, Label %1</translation>
    </message>
    <message>
        <location filename="../views/ndtmoe_views/path_figure.cpp" line="120"/>
        <source>. Histograms: the values each node&apos;s samples were tested on (blue went left, orange right); dashed: the threshold; triangle: this sample.</source>
        <translation>. Histogramme: die Werte, auf die die Stichproben jedes Knotens geprüft wurden (blau ging nach links, orange nach rechts); gestrichelt: die Schwelle; Dreieck: diese Stichprobe.</translation>
    </message>
    <message>
        <location filename="../views/ndtmoe_views/path_figure.cpp" line="130"/>
        <source>Layer %1</source>
        <translation>Schicht %1</translation>
    </message>
    <message>
        <location filename="../views/ndtmoe_views/path_figure.cpp" line="130"/>
        <source>, tree %1</source>
        <translation>, Baum %1</translation>
    </message>
    <message>
        <location filename="../views/ndtmoe_views/path_figure.cpp" line="138"/>
        <source>leaves: p = %1 at leaf %2</source>
        <translation>Blätter: p = %1 bei Blatt %2</translation>
    </message>
    <message>
        <location filename="../views/ndtmoe_views/path_figure.cpp" line="152"/>
        <source>experts (weights)</source>
        <translation>Experten (Gewichte)</translation>
    </message>
    <message>
        <location filename="../views/ndtmoe_views/routing_tree_view.cpp" line="228"/>
        <source>leaf %1 · n = %2</source>
        <translation>Blatt %1 · n = %2</translation>
    </message>
    <message>
        <location filename="../views/ndtmoe_views/routing_tree_view.cpp" line="113"/>
        <location filename="../views/ndtmoe_views/routing_tree_view.cpp" line="131"/>
        <source>E%1 %2</source>
        <translation>E%1 %2</translation>
    </message>
    <message>
        <location filename="../views/ndtmoe_views/routing_tree_view.cpp" line="224"/>
        <source>
test (exact: one input selected): %1</source>
        <translation>
Test (exakt: eine Eingabe gewählt): %1</translation>
    </message>
    <message>
        <location filename="../views/ndtmoe_views/routing_tree_view.cpp" line="225"/>
        <source>
approximate one-input test (the others at their mean): %1
whole test (standardized inputs): %2</source>
        <translation>
angenäherter Test mit einer Eingabe (die übrigen auf ihrem Mittel): %1
ganzer Test (standardisierte Eingaben): %2</translation>
    </message>
    <message>
        <location filename="../views/ndtmoe_views/routing_tree_view.cpp" line="234"/>
        <source>E%1 %2 (%3)</source>
        <translation>E%1 %2 (%3)</translation>
    </message>
    <message>
        <location filename="../views/ndtmoe_views/routing_tree_view.cpp" line="237"/>
        <source>
its samples by top-1 expert: %1</source>
        <translation>
seine Stichproben nach Top-1-Experte: %1</translation>
    </message>
    <message>
        <location filename="../views/ndtmoe_views/routing_tree_view.cpp" line="237"/>
        <source>none</source>
        <translation>keine</translation>
    </message>
    <message>
        <location filename="../views/ndtmoe_views/routing_tree_view.cpp" line="238"/>
        <source>
leaf-to-expert mapping weights (router parameters): %1</source>
        <translation>
Gewichte Blatt → Experte (Router-Parameter): %1</translation>
    </message>
    <message>
        <location filename="../views/ndtmoe_views/routing_tree_view.cpp" line="343"/>
        <source>%1 of the samples</source>
        <translation>%1 der Stichproben</translation>
    </message>
    <message>
        <location filename="../views/ndtmoe_views/path_figure.cpp" line="155"/>
        <location filename="../views/ndtmoe_views/routing_tree_view.cpp" line="191"/>
        <source>E%1</source>
        <translation>E%1</translation>
    </message>
    <message>
        <location filename="../views/ndtmoe_views/routing_tree_view.cpp" line="192"/>
        <source>Classes:</source>
        <translation>Klassen:</translation>
    </message>
    <message>
        <location filename="../views/ndtmoe_views/routing_tree_view.cpp" line="193"/>
        <source>Experts (leaf bars: its samples by top-1 expert):</source>
        <translation>Experten (Blattbalken: seine Stichproben nach Top-1-Experte):</translation>
    </message>
    <message>
        <location filename="../app/workbench/main.cpp" line="54"/>
        <source>Preparing the demo run…</source>
        <translation>Der Demo-Lauf wird vorbereitet …</translation>
    </message>
    <message>
        <location filename="../app/workbench/main.cpp" line="54"/>
        <source>Cancel</source>
        <translation>Abbrechen</translation>
    </message>
    <message>
        <location filename="../app/workbench/main.cpp" line="67"/>
        <source>Demo: %1…</source>
        <translation>Demo: %1 …</translation>
    </message>
    <message>
        <location filename="../app/workbench/main.cpp" line="78"/>
        <source>Demo</source>
        <translation>Demo</translation>
    </message>
    <message>
        <location filename="../app/workbench/main.cpp" line="78"/>
        <source>The demo could not be prepared: %1</source>
        <translation>Die Demo konnte nicht vorbereitet werden: %1</translation>
    </message>
    <message>
        <location filename="../app/workbench/main.cpp" line="134"/>
        <source>NDT-MoE Workbench: look inside mixtures of experts routed by soft decision trees</source>
        <translation>NDT-MoE Workbench: Einblick in Mixtures of Experts, die von weichen Entscheidungsbäumen geroutet werden</translation>
    </message>
    <message>
        <location filename="../app/workbench/main.cpp" line="137"/>
        <source>Open the built-in demo run (trained and traced on first use)</source>
        <translation>Den eingebauten Demo-Lauf öffnen (beim ersten Mal trainiert und aufgezeichnet)</translation>
    </message>
    <message>
        <location filename="../app/workbench/main.cpp" line="138"/>
        <source>Run id to show (default: the newest complete run)</source>
        <translation>Anzuzeigende Lauf-ID (Vorgabe: der neueste vollständige Lauf)</translation>
    </message>
    <message>
        <location filename="../app/workbench/main.cpp" line="139"/>
        <source>Save the window and each view as PNG into DIR once a run is shown, then quit</source>
        <translation>Fenster und jede Ansicht als PNG in DIR speichern, sobald ein Lauf angezeigt wird, dann beenden</translation>
    </message>
    <message>
        <location filename="../app/workbench/main.cpp" line="143"/>
        <source>Trace store to open</source>
        <translation>Zu öffnender Trace-Speicher</translation>
    </message>
    <message>
        <location filename="../views/ndtmoe_views/decision_path_view.cpp" line="80"/>
        <source>Set %1 to %2</source>
        <translation>%1 auf %2 setzen</translation>
    </message>
    <message>
        <location filename="../views/ndtmoe_views/training_view.cpp" line="28"/>
        <source>step</source>
        <translation>Schritt</translation>
    </message>
    <message>
        <location filename="../views/ndtmoe_views/expert_tokens_view.cpp" line="39"/>
        <source>expert</source>
        <translation>Experte</translation>
    </message>
    <message>
        <location filename="../views/ndtmoe_views/expert_tokens_view.cpp" line="42"/>
        <source>tokens (top-1)</source>
        <translation>Token (Top-1)</translation>
    </message>
    <message>
        <location filename="../views/ndtmoe_views/frontier_view.cpp" line="19"/>
        <source>K (experts or units per row)</source>
        <translation>K (Experten oder Einheiten je Zeile)</translation>
    </message>
</context>
<context>
    <name>ndtmoe::views::ComparisonView</name>
    <message>
        <location filename="../views/ndtmoe_views/comparison_view.cpp" line="43"/>
        <source>accuracy</source>
        <translation>Genauigkeit</translation>
    </message>
    <message>
        <location filename="../views/ndtmoe_views/comparison_view.cpp" line="43"/>
        <source>RMSE</source>
        <translation>RMSE</translation>
    </message>
    <message>
        <location filename="../views/ndtmoe_views/comparison_view.cpp" line="50"/>
        <source>family</source>
        <translation>Familie</translation>
    </message>
    <message>
        <location filename="../views/ndtmoe_views/comparison_view.cpp" line="51"/>
        <source>layers × experts (top-K)</source>
        <translation>Schichten × Experten (Top-K)</translation>
    </message>
    <message>
        <location filename="../views/ndtmoe_views/comparison_view.cpp" line="52"/>
        <source>student %1</source>
        <translation>Schüler %1</translation>
    </message>
    <message>
        <location filename="../views/ndtmoe_views/comparison_view.cpp" line="53"/>
        <source>teacher %1</source>
        <translation>Lehrer %1</translation>
    </message>
    <message>
        <location filename="../views/ndtmoe_views/comparison_view.cpp" line="54"/>
        <source>MLP %1</source>
        <translation>MLP %1</translation>
    </message>
    <message>
        <location filename="../views/ndtmoe_views/comparison_view.cpp" line="55"/>
        <source>linear-gate MoE %1</source>
        <translation>MoE mit linearem Gate %1</translation>
    </message>
    <message>
        <location filename="../views/ndtmoe_views/comparison_view.cpp" line="56"/>
        <source>load CV (std/mean)</source>
        <translation>Last-VK (Std./Mittel)</translation>
    </message>
    <message>
        <location filename="../views/ndtmoe_views/comparison_view.cpp" line="57"/>
        <source>dead experts</source>
        <translation>tote Experten</translation>
    </message>
    <message>
        <location filename="../views/ndtmoe_views/comparison_view.cpp" line="58"/>
        <source>experts in use exp(H)/N</source>
        <translation>genutzte Experten exp(H)/N</translation>
    </message>
    <message>
        <location filename="../views/ndtmoe_views/comparison_view.cpp" line="59"/>
        <source>NMI expert–class</source>
        <translation>NMI Experte–Klasse</translation>
    </message>
    <message>
        <location filename="../views/ndtmoe_views/comparison_view.cpp" line="60"/>
        <source>purity</source>
        <translation>Reinheit</translation>
    </message>
    <message>
        <location filename="../views/ndtmoe_views/comparison_view.cpp" line="61"/>
        <source>rule fidelity</source>
        <translation>Regeltreue</translation>
    </message>
    <message>
        <location filename="../views/ndtmoe_views/comparison_view.cpp" line="62"/>
        <source>expert predicted by neighbours</source>
        <translation>Experte aus den Nachbarn vorhergesagt</translation>
    </message>
    <message>
        <location filename="../views/ndtmoe_views/comparison_view.cpp" line="63"/>
        <source>%1% (commonest %2%)</source>
        <translation>%1 % (häufigster %2 %)</translation>
    </message>
    <message>
        <location filename="../views/ndtmoe_views/comparison_view.cpp" line="67"/>
        <source>firing neurons per sample (L0)</source>
        <translation>feuernde Neuronen je Stichprobe (L0)</translation>
    </message>
    <message>
        <location filename="../views/ndtmoe_views/comparison_view.cpp" line="68"/>
        <source>dead neurons</source>
        <translation>tote Neuronen</translation>
    </message>
    <message>
        <location filename="../views/ndtmoe_views/comparison_view.cpp" line="69"/>
        <source>class-selective neurons</source>
        <translation>klassenselektive Neuronen</translation>
    </message>
    <message>
        <location filename="../views/ndtmoe_views/comparison_view.cpp" line="77"/>
        <location filename="../views/ndtmoe_views/comparison_view.cpp" line="176"/>
        <location filename="../views/ndtmoe_views/comparison_view.cpp" line="192"/>
        <source>run %1: %2</source>
        <translation>Lauf %1: %2</translation>
    </message>
    <message>
        <location filename="../views/ndtmoe_views/comparison_view.cpp" line="88"/>
        <source>Means over layers. Load CV: std/mean of the top-1 load over experts; dead: experts never selected; exp(H)/N: effective share of experts in use; NMI: between top-1 expert and class; purity: share-weighted dominant-class share of each expert; rule fidelity: crisp rules vs the soft tree; expert predicted by neighbours: share of samples whose top-1 expert is the majority expert of their 10 nearest neighbours in the layer&apos;s hidden states, against the share of the commonest expert; neurons (runs traced with neuron records): L0 summed over layers, dead = never firing, class-selective = 50+ firings whose strongest 50 are at least 90% one class</source>
        <translation>Mittel über die Schichten. Last-VK: Std./Mittel der Top-1-Last über die Experten; tot: nie gewählte Experten; exp(H)/N: effektiver Anteil genutzter Experten; NMI: zwischen Top-1-Experte und Klasse; Reinheit: nach Anteil gewichteter Anteil der häufigsten Klasse je Experte; Regeltreue: scharfe Regeln gegenüber dem weichen Baum; Experte aus den Nachbarn vorhergesagt: Anteil der Proben, deren Top-1-Experte der Mehrheitsexperte ihrer 10 nächsten Nachbarn in den verborgenen Zuständen der Schicht ist, gegenüber dem Anteil des häufigsten Experten; Neuronen (Läufe mit Neuronenaufzeichnung): L0 summiert über die Schichten, tot = feuert nie, klassenselektiv = 50+ Feuerungen, deren stärkste 50 zu mindestens 90 % einer Klasse angehören</translation>
    </message>
    <message>
        <location filename="../views/ndtmoe_views/comparison_view.cpp" line="103"/>
        <source>share of the layer&apos;s samples (top-1)</source>
        <translation>Anteil der Stichproben der Schicht (Top-1)</translation>
    </message>
    <message>
        <location filename="../views/ndtmoe_views/comparison_view.cpp" line="123"/>
        <source>E%1</source>
        <translation>E%1</translation>
    </message>
    <message>
        <location filename="../views/ndtmoe_views/comparison_view.cpp" line="126"/>
        <source>layer</source>
        <translation>Schicht</translation>
    </message>
    <message>
        <location filename="../views/ndtmoe_views/comparison_view.cpp" line="127"/>
        <source>expert</source>
        <translation>Experte</translation>
    </message>
    <message>
        <location filename="../views/ndtmoe_views/comparison_view.cpp" line="132"/>
        <source>run %1 (%2)</source>
        <translation>Lauf %1 (%2)</translation>
    </message>
</context>
<context>
    <name>ndtmoe::views::DataTableModel</name>
    <message>
        <location filename="../views/ndtmoe_views/data_table_model.cpp" line="26"/>
        <source>missing</source>
        <translation>fehlt</translation>
    </message>
    <message>
        <location filename="../views/ndtmoe_views/data_table_model.cpp" line="38"/>
        <source> (nominal)</source>
        <translation> (nominal)</translation>
    </message>
</context>
<context>
    <name>ndtmoe::views::DecisionPathView</name>
    <message>
        <location filename="../views/ndtmoe_views/decision_path_view.cpp" line="96"/>
        <source>Layer / tree / level</source>
        <translation>Schicht / Baum / Ebene</translation>
    </message>
    <message>
        <location filename="../views/ndtmoe_views/decision_path_view.cpp" line="96"/>
        <source>Selects</source>
        <translation>Wählt</translation>
    </message>
    <message>
        <location filename="../views/ndtmoe_views/decision_path_view.cpp" line="96"/>
        <source>Value</source>
        <translation>Wert</translation>
    </message>
    <message>
        <location filename="../views/ndtmoe_views/decision_path_view.cpp" line="96"/>
        <source>Threshold</source>
        <translation>Schwelle</translation>
    </message>
    <message>
        <location filename="../views/ndtmoe_views/decision_path_view.cpp" line="96"/>
        <source>p(right)</source>
        <translation>p(rechts)</translation>
    </message>
    <message>
        <location filename="../views/ndtmoe_views/decision_path_view.cpp" line="96"/>
        <source>Branch</source>
        <translation>Zweig</translation>
    </message>
    <message>
        <location filename="../views/ndtmoe_views/decision_path_view.cpp" line="97"/>
        <source>In feature units</source>
        <translation>In Merkmalseinheiten</translation>
    </message>
    <message>
        <location filename="../views/ndtmoe_views/decision_path_view.cpp" line="101"/>
        <source>Feature</source>
        <translation>Merkmal</translation>
    </message>
    <message>
        <location filename="../views/ndtmoe_views/decision_path_view.cpp" line="101"/>
        <source>Value (edit: what-if)</source>
        <translation>Wert (bearbeiten: Was-wäre-wenn)</translation>
    </message>
    <message>
        <location filename="../views/ndtmoe_views/decision_path_view.cpp" line="104"/>
        <source>Edit a feature (a number, or a category from the list) to see how the path, routing and prediction change (Ctrl+Z undoes)</source>
        <translation>Ein Merkmal bearbeiten (eine Zahl oder eine Kategorie aus der Liste), um zu sehen, wie sich Pfad, Routing und Vorhersage ändern (Strg+Z macht rückgängig)</translation>
    </message>
    <message>
        <location filename="../views/ndtmoe_views/decision_path_view.cpp" line="105"/>
        <source>Reset what-if</source>
        <translation>Was-wäre-wenn zurücksetzen</translation>
    </message>
    <message>
        <location filename="../views/ndtmoe_views/decision_path_view.cpp" line="131"/>
        <source>&lt;span style=&apos;color:#c62828&apos;&gt;Not a category of this feature: choose one from the list&lt;/span&gt;</source>
        <translation>&lt;span style=&apos;color:#c62828&apos;&gt;Keine Kategorie dieses Merkmals: wählen Sie eine aus der Liste&lt;/span&gt;</translation>
    </message>
    <message>
        <location filename="../views/ndtmoe_views/decision_path_view.cpp" line="132"/>
        <source>&lt;span style=&apos;color:#c62828&apos;&gt;Not a number: enter a value such as 3.5&lt;/span&gt;</source>
        <translation>&lt;span style=&apos;color:#c62828&apos;&gt;Keine Zahl: geben Sie einen Wert wie 3.5 ein&lt;/span&gt;</translation>
    </message>
    <message>
        <location filename="../views/ndtmoe_views/decision_path_view.cpp" line="143"/>
        <source>Table</source>
        <translation>Tabelle</translation>
    </message>
    <message>
        <location filename="../views/ndtmoe_views/decision_path_view.cpp" line="144"/>
        <source>Figure</source>
        <translation>Abbildung</translation>
    </message>
    <message>
        <location filename="../views/ndtmoe_views/decision_path_view.cpp" line="154"/>
        <source>Select a sample in the samples table to see its path.</source>
        <translation>Wählen Sie eine Stichprobe in der Tabelle, um ihren Pfad zu sehen.</translation>
    </message>
    <message>
        <location filename="../views/ndtmoe_views/decision_path_view.cpp" line="202"/>
        <source>Text is read one byte per token; the what-if editor does not edit text</source>
        <translation>Text wird als ein Byte je Token gelesen; der Was-wäre-wenn-Editor bearbeitet keinen Text</translation>
    </message>
    <message>
        <location filename="../views/ndtmoe_views/decision_path_view.cpp" line="279"/>
        <source>&lt;b&gt;Sample %1&lt;/b&gt; (%2)</source>
        <translation>&lt;b&gt;Stichprobe %1&lt;/b&gt; (%2)</translation>
    </message>
    <message>
        <location filename="../views/ndtmoe_views/decision_path_view.cpp" line="280"/>
        <source>&lt;b&gt;What-if&lt;/b&gt; on </source>
        <translation>&lt;b&gt;Was-wäre-wenn&lt;/b&gt; für </translation>
    </message>
    <message>
        <location filename="../views/ndtmoe_views/decision_path_view.cpp" line="281"/>
        <source> — label &lt;b&gt;%1&lt;/b&gt;, student &lt;b&gt;%2&lt;/b&gt;</source>
        <translation> — Label &lt;b&gt;%1&lt;/b&gt;, Schüler &lt;b&gt;%2&lt;/b&gt;</translation>
    </message>
    <message>
        <location filename="../views/ndtmoe_views/decision_path_view.cpp" line="283"/>
        <source>, teacher &lt;b&gt;%1&lt;/b&gt;</source>
        <translation>, Lehrer &lt;b&gt;%1&lt;/b&gt;</translation>
    </message>
    <message>
        <location filename="../views/ndtmoe_views/decision_path_view.cpp" line="288"/>
        <source>E%1 (%2)</source>
        <translation>E%1 (%2)</translation>
    </message>
    <message>
        <location filename="../views/ndtmoe_views/decision_path_view.cpp" line="289"/>
        <source>Layer %1</source>
        <translation>Schicht %1</translation>
    </message>
    <message>
        <location filename="../views/ndtmoe_views/decision_path_view.cpp" line="289"/>
        <source>experts: %1</source>
        <translation>Experten: %1</translation>
    </message>
    <message numerus="yes">
        <location filename="../views/ndtmoe_views/decision_path_view.cpp" line="295"/>
        <source>%n more</source>
        <translation>
            <numerusform>%n weitere</numerusform>
            <numerusform>%n weitere</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../views/ndtmoe_views/decision_path_view.cpp" line="300"/>
        <source>tree %1, level %2</source>
        <translation>Baum %1, Ebene %2</translation>
    </message>
    <message>
        <location filename="../views/ndtmoe_views/decision_path_view.cpp" line="301"/>
        <source>right</source>
        <translation>rechts</translation>
    </message>
    <message>
        <location filename="../views/ndtmoe_views/decision_path_view.cpp" line="301"/>
        <source>left</source>
        <translation>links</translation>
    </message>
    <message>
        <location filename="../views/ndtmoe_views/decision_path_view.cpp" line="302"/>
        <source>temperature %1</source>
        <translation>Temperatur %1</translation>
    </message>
    <message>
        <location filename="../views/ndtmoe_views/decision_path_view.cpp" line="310"/>
        <source>%1 (%2)</source>
        <translation>%1 (%2)</translation>
    </message>
    <message>
        <location filename="../views/ndtmoe_views/decision_path_view.cpp" line="311"/>
        <source>tree %1 leaves</source>
        <translation>Blätter von Baum %1</translation>
    </message>
    <message>
        <location filename="../views/ndtmoe_views/decision_path_view.cpp" line="327"/>
        <source>The figure could not be drawn: %1</source>
        <translation>Die Abbildung konnte nicht gezeichnet werden: %1</translation>
    </message>
</context>
<context>
    <name>ndtmoe::views::DecoderExpertsView</name>
    <message>
        <location filename="../views/ndtmoe_views/decoder_experts_view.cpp" line="54"/>
        <source>This run stores no decoder experts (family mxd)</source>
        <translation>Dieser Lauf speichert keine Decoder-Experten (Familie mxd)</translation>
    </message>
    <message>
        <location filename="../views/ndtmoe_views/decoder_experts_view.cpp" line="109"/>
        <source>E%1  %2%  a %3</source>
        <translation>E%1  %2 %  a %3</translation>
    </message>
    <message>
        <location filename="../views/ndtmoe_views/decoder_experts_view.cpp" line="112"/>
        <source>E%1  a = %2</source>
        <translation>E%1  a = %2</translation>
    </message>
    <message>
        <location filename="../views/ndtmoe_views/decoder_experts_view.cpp" line="115"/>
        <source>Σ a·ĉ, |·| ≤ %1</source>
        <translation>Σ a·ĉ, |·| ≤ %1</translation>
    </message>
    <message>
        <location filename="../views/ndtmoe_views/decoder_experts_view.cpp" line="119"/>
        <source>Expert n is the shared decoder scaled by ĉ_n over the layer&apos;s %1 outputs: blue &lt; 0 &lt; red, |ĉ| up to %2</source>
        <translation>Experte n ist der gemeinsame Decoder, skaliert mit ĉ_n über die %1 Ausgaben der Schicht: blau &lt; 0 &lt; rot, |ĉ| bis %2</translation>
    </message>
    <message>
        <location filename="../views/ndtmoe_views/decoder_experts_view.cpp" line="123"/>
        <source>Beside each expert: its share of the %1 routed rows that chose it and its mean gate value a</source>
        <translation>Neben jedem Experten: sein Anteil an den %1 gerouteten Zeilen, die ihn wählten, und sein mittlerer Gate-Wert a</translation>
    </message>
    <message>
        <location filename="../views/ndtmoe_views/decoder_experts_view.cpp" line="124"/>
        <source>; the bar: the classes of those rows</source>
        <translation>; der Balken: die Klassen dieser Zeilen</translation>
    </message>
    <message>
        <location filename="../views/ndtmoe_views/decoder_experts_view.cpp" line="180"/>
        <source>Layer %1: %2 decoder experts, top-%3</source>
        <translation>Schicht %1: %2 Decoder-Experten, Top-%3</translation>
    </message>
    <message>
        <location filename="../views/ndtmoe_views/decoder_experts_view.cpp" line="204"/>
        <source>By use (%1 of %2 never chosen)</source>
        <translation>Nach Nutzung (%1 von %2 nie gewählt)</translation>
    </message>
    <message>
        <location filename="../views/ndtmoe_views/decoder_experts_view.cpp" line="254"/>
        <source>, token %1 “%2”</source>
        <translation>, Token %1 „%2“</translation>
    </message>
    <message>
        <location filename="../views/ndtmoe_views/decoder_experts_view.cpp" line="256"/>
        <source>Sample %1 (%2, predicted %3)%4: its experts and gate values</source>
        <translation>Beispiel %1 (%2, vorhergesagt %3)%4: seine Experten und Gate-Werte</translation>
    </message>
    <message>
        <location filename="../views/ndtmoe_views/decoder_experts_view.cpp" line="262"/>
        <source>Sample %1 could not be read: %2</source>
        <translation>Beispiel %1 konnte nicht gelesen werden: %2</translation>
    </message>
</context>
<context>
    <name>ndtmoe::views::EmbeddingView</name>
    <message>
        <location filename="../views/ndtmoe_views/embedding_view.cpp" line="42"/>
        <source>Map:</source>
        <translation>Karte:</translation>
    </message>
    <message>
        <location filename="../views/ndtmoe_views/embedding_view.cpp" line="44"/>
        <source>Colour by:</source>
        <translation>Färben nach:</translation>
    </message>
    <message>
        <location filename="../views/ndtmoe_views/embedding_view.cpp" line="45"/>
        <location filename="../views/ndtmoe_views/embedding_view.cpp" line="224"/>
        <source>top-1 expert</source>
        <translation>Top-1-Experte</translation>
    </message>
    <message>
        <location filename="../views/ndtmoe_views/embedding_view.cpp" line="46"/>
        <location filename="../views/ndtmoe_views/embedding_view.cpp" line="224"/>
        <source>class</source>
        <translation>Klasse</translation>
    </message>
    <message>
        <location filename="../views/ndtmoe_views/embedding_view.cpp" line="47"/>
        <location filename="../views/ndtmoe_views/embedding_view.cpp" line="224"/>
        <source>right or wrong</source>
        <translation>richtig oder falsch</translation>
    </message>
    <message>
        <location filename="../views/ndtmoe_views/embedding_view.cpp" line="55"/>
        <source>PCA: the two directions of largest variance, every sample. t-SNE: neighbourhoods kept, distances between clusters not meaningful; computed on an evenly spaced subset of the samples</source>
        <translation>PCA: die zwei Richtungen größter Varianz, alle Proben. t-SNE: Nachbarschaften bleiben erhalten, Abstände zwischen Gruppen sind nicht aussagekräftig; berechnet auf einer gleichmäßig verteilten Teilmenge der Proben</translation>
    </message>
    <message>
        <location filename="../views/ndtmoe_views/embedding_view.cpp" line="57"/>
        <source>Click a point to select its sample; drag around points to select them as a group; the wheel zooms, a double click shows the whole map</source>
        <translation>Ein Klick auf einen Punkt wählt seine Probe; Punkte umfahren wählt sie als Gruppe; das Mausrad zoomt, ein Doppelklick zeigt die ganze Karte</translation>
    </message>
    <message>
        <location filename="../views/ndtmoe_views/embedding_view.cpp" line="126"/>
        <location filename="../views/ndtmoe_views/embedding_view.cpp" line="227"/>
        <source>PCA</source>
        <translation>PCA</translation>
    </message>
    <message>
        <location filename="../views/ndtmoe_views/embedding_view.cpp" line="126"/>
        <location filename="../views/ndtmoe_views/embedding_view.cpp" line="227"/>
        <source>t-SNE</source>
        <translation>t-SNE</translation>
    </message>
    <message>
        <location filename="../views/ndtmoe_views/embedding_view.cpp" line="158"/>
        <source>E%1</source>
        <translation>E%1</translation>
    </message>
    <message>
        <location filename="../views/ndtmoe_views/embedding_view.cpp" line="160"/>
        <source>right</source>
        <translation>richtig</translation>
    </message>
    <message>
        <location filename="../views/ndtmoe_views/embedding_view.cpp" line="160"/>
        <source>wrong</source>
        <translation>falsch</translation>
    </message>
    <message>
        <location filename="../views/ndtmoe_views/embedding_view.cpp" line="201"/>
        <source>not traced</source>
        <translation>nicht aufgezeichnet</translation>
    </message>
    <message>
        <location filename="../views/ndtmoe_views/embedding_view.cpp" line="214"/>
        <source>PC 1 (%1% of the variance)</source>
        <translation>HK 1 (%1 % der Varianz)</translation>
    </message>
    <message>
        <location filename="../views/ndtmoe_views/embedding_view.cpp" line="215"/>
        <source>t-SNE 1</source>
        <translation>t-SNE 1</translation>
    </message>
    <message>
        <location filename="../views/ndtmoe_views/embedding_view.cpp" line="216"/>
        <source>PC 2 (%1% of the variance)</source>
        <translation>HK 2 (%1 % der Varianz)</translation>
    </message>
    <message>
        <location filename="../views/ndtmoe_views/embedding_view.cpp" line="217"/>
        <source>t-SNE 2</source>
        <translation>t-SNE 2</translation>
    </message>
    <message>
        <location filename="../views/ndtmoe_views/embedding_view.cpp" line="227"/>
        <source>Layer %1, %2, by %3</source>
        <translation>Schicht %1, %2, nach %3</translation>
    </message>
    <message>
        <location filename="../views/ndtmoe_views/embedding_view.cpp" line="281"/>
        <source>Embeddings map whole samples; this run routes tokens.</source>
        <translation>Einbettungen bilden ganze Proben ab; dieser Lauf routet Tokens.</translation>
    </message>
    <message>
        <location filename="../views/ndtmoe_views/embedding_view.cpp" line="282"/>
        <source>No embedding is stored for layer %1 of this run: it was traced without them, by shards or by an older version. Trace it again (ndtmoe trace) to compute them.</source>
        <translation>Für Schicht %1 dieses Laufs ist keine Einbettung gespeichert: er wurde ohne sie, in Teilen oder von einer älteren Version aufgezeichnet. Zeichnen Sie ihn erneut auf (ndtmoe trace), um sie zu berechnen.</translation>
    </message>
    <message>
        <location filename="../views/ndtmoe_views/embedding_view.cpp" line="287"/>
        <source>PCA of the hidden states layer %1&apos;s experts read, all %2 samples; the axes explain %3% and %4% of the variance.</source>
        <translation>PCA der verborgenen Zustände, die die Experten von Schicht %1 lesen, alle %2 Proben; die Achsen erklären %3 % und %4 % der Varianz.</translation>
    </message>
    <message>
        <location filename="../views/ndtmoe_views/embedding_view.cpp" line="290"/>
        <source>t-SNE of the hidden states layer %1&apos;s experts read, %2 (perplexity %3, KL divergence %4).</source>
        <translation>t-SNE der verborgenen Zustände, die die Experten von Schicht %1 lesen, %2 (Perplexität %3, KL-Divergenz %4).</translation>
    </message>
    <message>
        <location filename="../views/ndtmoe_views/embedding_view.cpp" line="293"/>
        <source>all %1 samples</source>
        <translation>alle %1 Proben</translation>
    </message>
    <message>
        <location filename="../views/ndtmoe_views/embedding_view.cpp" line="294"/>
        <source>%1 evenly spaced samples of %2</source>
        <translation>%1 gleichmäßig verteilte Proben von %2</translation>
    </message>
    <message>
        <location filename="../views/ndtmoe_views/embedding_view.cpp" line="298"/>
        <source>The top-1 expert of a sample is the majority expert of its %1 nearest neighbours for %2% of %3 samples (the commonest expert alone: %4%).</source>
        <translation>Der Top-1-Experte einer Probe ist bei %2 % von %3 Proben der Mehrheitsexperte ihrer %1 nächsten Nachbarn (der häufigste Experte allein: %4 %).</translation>
    </message>
    <message>
        <location filename="../views/ndtmoe_views/embedding_view.cpp" line="343"/>
        <source>sample %1, expert %2</source>
        <translation>Probe %1, Experte %2</translation>
    </message>
    <message>
        <location filename="../views/ndtmoe_views/embedding_view.cpp" line="345"/>
        <source>, class %1, predicted %2</source>
        <translation>, Klasse %1, vorhergesagt %2</translation>
    </message>
</context>
<context>
    <name>ndtmoe::views::ExpertGalleryView</name>
    <message>
        <location filename="../views/ndtmoe_views/expert_gallery_view.cpp" line="182"/>
        <source>This run stores no generated experts (family imoie)</source>
        <translation>Dieser Lauf speichert keine erzeugten Experten (Familie imoie)</translation>
    </message>
    <message>
        <location filename="../views/ndtmoe_views/expert_gallery_view.cpp" line="192"/>
        <source>Experts by use (%1 of %2 stored): weights per class and router; blue &lt; 0 &lt; red, one scale per expert</source>
        <translation>Experten nach Nutzung (%1 von %2 gespeichert): Gewichte je Klasse und Router; blau &lt; 0 &lt; rot, eine Skala je Experte</translation>
    </message>
    <message>
        <location filename="../views/ndtmoe_views/expert_gallery_view.cpp" line="198"/>
        <source>router</source>
        <translation>Router</translation>
    </message>
    <message>
        <location filename="../views/ndtmoe_views/expert_gallery_view.cpp" line="210"/>
        <source>E%1  %2
%3% of samples</source>
        <translation>E%1  %2
%3 % der Stichproben</translation>
    </message>
    <message>
        <location filename="../views/ndtmoe_views/expert_gallery_view.cpp" line="242"/>
        <source>input
its expert</source>
        <translation>Eingabe
ihr Experte</translation>
    </message>
    <message>
        <location filename="../views/ndtmoe_views/expert_gallery_view.cpp" line="249"/>
        <source>weights × input
(class score)</source>
        <translation>Gewichte × Eingabe
(Klassenwert)</translation>
    </message>
    <message>
        <location filename="../views/ndtmoe_views/expert_gallery_view.cpp" line="259"/>
        <source>Explicit mode: the %1 largest router scores, softmax-weighted</source>
        <translation>Expliziter Modus: die %1 größten Router-Werte, per Softmax gewichtet</translation>
    </message>
    <message>
        <location filename="../views/ndtmoe_views/expert_gallery_view.cpp" line="260"/>
        <source>Explicit mode over the %1 stored experts (of %2): the %3 largest router scores</source>
        <translation>Expliziter Modus über die %1 gespeicherten Experten (von %2): die %3 größten Router-Werte</translation>
    </message>
    <message>
        <location filename="../views/ndtmoe_views/expert_gallery_view.cpp" line="265"/>
        <source>E%1 %2  score %3</source>
        <translation>E%1 %2  Wert %3</translation>
    </message>
    <message>
        <location filename="../views/ndtmoe_views/expert_gallery_view.cpp" line="291"/>
        <source>Sample %1 (%2, predicted %3): code %4 → expert E%5</source>
        <translation>Stichprobe %1 (%2, vorhergesagt %3): Code %4 → Experte E%5</translation>
    </message>
    <message>
        <location filename="../views/ndtmoe_views/expert_gallery_view.cpp" line="297"/>
        <source> — not among the %1 stored experts</source>
        <translation> — nicht unter den %1 gespeicherten Experten</translation>
    </message>
    <message>
        <location filename="../views/ndtmoe_views/expert_gallery_view.cpp" line="309"/>
        <source>Sample %1 could not be read: %2</source>
        <translation>Stichprobe %1 konnte nicht gelesen werden: %2</translation>
    </message>
</context>
<context>
    <name>ndtmoe::views::ExpertTokensView</name>
    <message>
        <location filename="../views/ndtmoe_views/expert_tokens_view.cpp" line="94"/>
        <location filename="../views/ndtmoe_views/expert_tokens_view.cpp" line="181"/>
        <source>The store could not be read: %1</source>
        <translation>Der Speicher ließ sich nicht lesen: %1</translation>
    </message>
    <message>
        <location filename="../views/ndtmoe_views/expert_tokens_view.cpp" line="120"/>
        <source>This run routes whole samples, not tokens.</source>
        <translation>Dieser Lauf routet ganze Stichproben, keine Token.</translation>
    </message>
    <message>
        <location filename="../views/ndtmoe_views/expert_tokens_view.cpp" line="155"/>
        <location filename="../views/ndtmoe_views/expert_tokens_view.cpp" line="157"/>
        <source>token</source>
        <translation>Token</translation>
    </message>
    <message>
        <location filename="../views/ndtmoe_views/expert_tokens_view.cpp" line="157"/>
        <source>position</source>
        <translation>Position</translation>
    </message>
    <message>
        <location filename="../views/ndtmoe_views/expert_tokens_view.cpp" line="235"/>
        <source>mean of %1 patches (pixel x)</source>
        <translation>Mittel aus %1 Patches (Pixel x)</translation>
    </message>
    <message>
        <location filename="../views/ndtmoe_views/expert_tokens_view.cpp" line="155"/>
        <location filename="../views/ndtmoe_views/expert_tokens_view.cpp" line="156"/>
        <source>Layer %1: expert x token</source>
        <translation>Schicht %1: Experte × Token</translation>
    </message>
    <message>
        <location filename="../views/ndtmoe_views/expert_tokens_view.cpp" line="156"/>
        <source>Layer %1: expert x position</source>
        <translation>Schicht %1: Experte × Position</translation>
    </message>
    <message>
        <location filename="../views/ndtmoe_views/expert_tokens_view.cpp" line="175"/>
        <source>% of its tokens</source>
        <translation>% seiner Token</translation>
    </message>
    <message>
        <location filename="../views/ndtmoe_views/expert_tokens_view.cpp" line="162"/>
        <source>Expert %1 (layer %2): the tokens it receives most</source>
        <translation>Experte %1 (Schicht %2): die Token, die er am häufigsten erhält</translation>
    </message>
    <message>
        <location filename="../views/ndtmoe_views/expert_tokens_view.cpp" line="179"/>
        <source>Expert %1: its average patch</source>
        <translation>Experte %1: sein mittleres Patch</translation>
    </message>
    <message>
        <location filename="../views/ndtmoe_views/expert_tokens_view.cpp" line="198"/>
        <source>sample %1: %2</source>
        <translation>Stichprobe %1: %2</translation>
    </message>
    <message>
        <location filename="../views/ndtmoe_views/expert_tokens_view.cpp" line="184"/>
        <source>Select an expert (a heatmap row, or a token in the lanes) to see the tokens it receives.</source>
        <translation>Wählen Sie einen Experten (eine Zeile der Heatmap oder ein Token in den Bahnen), um die Token zu sehen, die er erhält.</translation>
    </message>
    <message>
        <location filename="../views/ndtmoe_views/expert_tokens_view.cpp" line="185"/>
        <source>Examples of its most frequent token:</source>
        <translation>Beispiele seines häufigsten Tokens:</translation>
    </message>
</context>
<context>
    <name>ndtmoe::views::FrontierView</name>
    <message>
        <location filename="../views/ndtmoe_views/frontier_view.cpp" line="42"/>
        <source>Layer reconstruction</source>
        <translation>Rekonstruktion der Schicht</translation>
    </message>
    <message>
        <location filename="../views/ndtmoe_views/frontier_view.cpp" line="42"/>
        <source>normalised MSE</source>
        <translation>normierter MSE</translation>
    </message>
    <message>
        <location filename="../views/ndtmoe_views/frontier_view.cpp" line="43"/>
        <source>Spliced model</source>
        <translation>Modell mit Ersatz</translation>
    </message>
    <message>
        <location filename="../views/ndtmoe_views/frontier_view.cpp" line="43"/>
        <source>test metric</source>
        <translation>Testmetrik</translation>
    </message>
    <message>
        <location filename="../views/ndtmoe_views/frontier_view.cpp" line="51"/>
        <source>Compare traced decompositions (ndtmoe trace of a decompose --out directory) to see their frontier</source>
        <translation>Vergleichen Sie aufgezeichnete Zerlegungen (ndtmoe trace eines decompose --out-Ordners), um ihre Front zu sehen</translation>
    </message>
    <message>
        <location filename="../views/ndtmoe_views/frontier_view.cpp" line="68"/>
        <source>None of the compared runs is a traced decomposition (ndtmoe trace of a decompose --out directory)</source>
        <translation>Keiner der verglichenen Läufe ist eine aufgezeichnete Zerlegung (ndtmoe trace eines decompose --out-Ordners)</translation>
    </message>
    <message numerus="yes">
        <location filename="../views/ndtmoe_views/frontier_view.cpp" line="73"/>
        <source>Layer %1 of the decomposed run, %n decomposition(s)</source>
        <translation>
            <numerusform>Schicht %1 des zerlegten Laufs, %n Zerlegung</numerusform>
            <numerusform>Schicht %1 des zerlegten Laufs, %n Zerlegungen</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../views/ndtmoe_views/frontier_view.cpp" line="74"/>
        <source>; %n compared run(s) left out: not decompositions of this layer</source>
        <translation>
            <numerusform>; %n verglichener Lauf ausgelassen: keine Zerlegung dieser Schicht</numerusform>
            <numerusform>; %n verglichene Läufe ausgelassen: keine Zerlegungen dieser Schicht</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../views/ndtmoe_views/frontier_view.cpp" line="96"/>
        <source>test %1</source>
        <translation>Test-%1</translation>
    </message>
    <message>
        <location filename="../views/ndtmoe_views/frontier_view.cpp" line="97"/>
        <source>original</source>
        <translation>Original</translation>
    </message>
    <message>
        <location filename="../views/ndtmoe_views/frontier_view.cpp" line="97"/>
        <source>zero-ablated</source>
        <translation>auf null gesetzt</translation>
    </message>
</context>
<context>
    <name>ndtmoe::views::GateView</name>
    <message>
        <location filename="../views/ndtmoe_views/gate_view.cpp" line="65"/>
        <source>E%1</source>
        <translation>E%1</translation>
    </message>
    <message>
        <location filename="../views/ndtmoe_views/gate_view.cpp" line="85"/>
        <source>gate weight</source>
        <translation>Gate-Gewicht</translation>
    </message>
    <message>
        <location filename="../views/ndtmoe_views/gate_view.cpp" line="91"/>
        <location filename="../views/ndtmoe_views/gate_view.cpp" line="108"/>
        <source>expert</source>
        <translation>Experte</translation>
    </message>
    <message>
        <location filename="../views/ndtmoe_views/gate_view.cpp" line="92"/>
        <source>router input</source>
        <translation>Router-Eingabe</translation>
    </message>
    <message>
        <location filename="../views/ndtmoe_views/gate_view.cpp" line="109"/>
        <source>gate logit</source>
        <translation>Gate-Logit</translation>
    </message>
    <message>
        <location filename="../views/ndtmoe_views/gate_view.cpp" line="114"/>
        <source>Layer %1: linear gate weights</source>
        <translation>Schicht %1: Gewichte des linearen Gates</translation>
    </message>
    <message>
        <location filename="../views/ndtmoe_views/gate_view.cpp" line="167"/>
        <source>w %1</source>
        <translation>w %1</translation>
    </message>
    <message>
        <location filename="../views/ndtmoe_views/gate_view.cpp" line="169"/>
        <source>Sample %1: gate logits (highlighted: the experts it was sent to, with their weights)</source>
        <translation>Stichprobe %1: Gate-Logits (hervorgehoben: die Experten, an die sie ging, mit ihren Gewichten)</translation>
    </message>
    <message>
        <location filename="../views/ndtmoe_views/gate_view.cpp" line="170"/>
        <source>Select a sample to see its gate logits</source>
        <translation>Wählen Sie eine Stichprobe, um ihre Gate-Logits zu sehen</translation>
    </message>
    <message>
        <location filename="../views/ndtmoe_views/gate_view.cpp" line="171"/>
        <source>This gate reads hidden states, which the store does not keep: no logits to show</source>
        <translation>Dieses Gate liest verborgene Zustände, die der Speicher nicht aufbewahrt: keine Logits zu zeigen</translation>
    </message>
    <message>
        <location filename="../views/ndtmoe_views/gate_view.cpp" line="200"/>
        <source>%1 → E%2: weight %3</source>
        <translation>%1 → E%2: Gewicht %3</translation>
    </message>
</context>
<context>
    <name>ndtmoe::views::ImportanceView</name>
    <message>
        <location filename="../views/ndtmoe_views/importance_view.cpp" line="29"/>
        <location filename="../views/ndtmoe_views/importance_view.cpp" line="65"/>
        <source>Compute</source>
        <translation>Berechnen</translation>
    </message>
    <message>
        <location filename="../views/ndtmoe_views/importance_view.cpp" line="31"/>
        <source>Permutation importance</source>
        <translation>Permutationswichtigkeit</translation>
    </message>
    <message>
        <location filename="../views/ndtmoe_views/importance_view.cpp" line="32"/>
        <source>Integrated gradients</source>
        <translation>Integrierte Gradienten</translation>
    </message>
    <message>
        <location filename="../views/ndtmoe_views/importance_view.cpp" line="33"/>
        <source>All samples (global)</source>
        <translation>Alle Stichproben (global)</translation>
    </message>
    <message>
        <location filename="../views/ndtmoe_views/importance_view.cpp" line="34"/>
        <source>Selected sample</source>
        <translation>Gewählte Stichprobe</translation>
    </message>
    <message>
        <location filename="../views/ndtmoe_views/importance_view.cpp" line="35"/>
        <source>Compute this explanation with the run&apos;s model and store it in the trace store</source>
        <translation>Diese Erklärung mit dem Modell des Laufs berechnen und im Trace-Speicher ablegen</translation>
    </message>
    <message>
        <location filename="../views/ndtmoe_views/importance_view.cpp" line="65"/>
        <source>Computing…</source>
        <translation>Berechne …</translation>
    </message>
    <message>
        <location filename="../views/ndtmoe_views/importance_view.cpp" line="111"/>
        <source>No %1 stored for sample %2 yet: press Compute.</source>
        <translation>Noch keine %1 für Stichprobe %2 gespeichert: Berechnen drücken.</translation>
    </message>
    <message>
        <location filename="../views/ndtmoe_views/importance_view.cpp" line="112"/>
        <source>No %1 stored for this run yet: press Compute (or run ndtmoe explain).</source>
        <translation>Für diesen Lauf ist noch keine %1 gespeichert: Berechnen drücken (oder ndtmoe explain ausführen).</translation>
    </message>
    <message>
        <location filename="../views/ndtmoe_views/importance_view.cpp" line="155"/>
        <source>mean |attribution| (± sd over samples, cut at 0)</source>
        <translation>mittlere |Attribution| (± Std. über die Stichproben, bei 0 abgeschnitten)</translation>
    </message>
    <message>
        <location filename="../views/ndtmoe_views/importance_view.cpp" line="110"/>
        <source>Select a sample.</source>
        <translation>Wählen Sie eine Stichprobe.</translation>
    </message>
    <message>
        <location filename="../views/ndtmoe_views/importance_view.cpp" line="126"/>
        <source>%1 · %2 · stored %3 ·%4</source>
        <translation>%1 · %2 · gespeichert %3 ·%4</translation>
    </message>
    <message>
        <location filename="../views/ndtmoe_views/importance_view.cpp" line="154"/>
        <source>drop in score when shuffled</source>
        <translation>Rückgang der Güte beim Mischen</translation>
    </message>
    <message>
        <location filename="../views/ndtmoe_views/importance_view.cpp" line="154"/>
        <source>share of samples whose top-1 expert changes</source>
        <translation>Anteil der Stichproben, deren Top-1-Experte wechselt</translation>
    </message>
    <message>
        <location filename="../views/ndtmoe_views/importance_view.cpp" line="155"/>
        <source>attribution</source>
        <translation>Attribution</translation>
    </message>
    <message>
        <location filename="../views/ndtmoe_views/importance_view.cpp" line="159"/>
        <source>%1 — %2</source>
        <translation>%1 — %2</translation>
    </message>
    <message>
        <location filename="../views/ndtmoe_views/importance_view.cpp" line="159"/>
        <source>, sample %1</source>
        <translation>, Stichprobe %1</translation>
    </message>
</context>
<context>
    <name>ndtmoe::views::NeuronDashboardView</name>
    <message>
        <location filename="../views/ndtmoe_views/neuron_dashboard_view.cpp" line="55"/>
        <source>neuron</source>
        <translation>Neuron</translation>
    </message>
    <message>
        <location filename="../views/ndtmoe_views/neuron_dashboard_view.cpp" line="55"/>
        <source>expert</source>
        <translation>Experte</translation>
    </message>
    <message>
        <location filename="../views/ndtmoe_views/neuron_dashboard_view.cpp" line="55"/>
        <source>unit</source>
        <translation>Einheit</translation>
    </message>
    <message>
        <location filename="../views/ndtmoe_views/neuron_dashboard_view.cpp" line="55"/>
        <source>fires %</source>
        <translation>feuert %</translation>
    </message>
    <message>
        <location filename="../views/ndtmoe_views/neuron_dashboard_view.cpp" line="55"/>
        <source>mean act.</source>
        <translation>mittl. Akt.</translation>
    </message>
    <message>
        <location filename="../views/ndtmoe_views/neuron_dashboard_view.cpp" line="55"/>
        <source>top class</source>
        <translation>Hauptklasse</translation>
    </message>
    <message>
        <location filename="../views/ndtmoe_views/neuron_dashboard_view.cpp" line="56"/>
        <source>class share %</source>
        <translation>Klassenanteil %</translation>
    </message>
    <message>
        <location filename="../views/ndtmoe_views/neuron_dashboard_view.cpp" line="56"/>
        <source>Δp silenced</source>
        <translation>Δp stummgeschaltet</translation>
    </message>
    <message>
        <location filename="../views/ndtmoe_views/neuron_dashboard_view.cpp" line="57"/>
        <source>Share of the traced samples (or tokens) on which it fires</source>
        <translation>Anteil der aufgezeichneten Stichproben (oder Token), auf denen es feuert</translation>
    </message>
    <message>
        <location filename="../views/ndtmoe_views/neuron_dashboard_view.cpp" line="58"/>
        <source>Share of its 50 strongest firings that are of its top class</source>
        <translation>Anteil seiner 50 stärksten Aktivierungen, die zu seiner Hauptklasse gehören</translation>
    </message>
    <message>
        <location filename="../views/ndtmoe_views/neuron_dashboard_view.cpp" line="60"/>
        <source>Mean drop of the predicted class&apos;s probability when it is silenced on the samples of its 50 strongest firings</source>
        <translation>Mittlerer Rückgang der Wahrscheinlichkeit der vorhergesagten Klasse, wenn es auf den Stichproben seiner 50 stärksten Aktivierungen stummgeschaltet wird</translation>
    </message>
    <message>
        <location filename="../views/ndtmoe_views/neuron_dashboard_view.cpp" line="78"/>
        <source>Strongest firings (click to select the sample):</source>
        <translation>Stärkste Aktivierungen (Klick wählt die Stichprobe):</translation>
    </message>
    <message>
        <location filename="../views/ndtmoe_views/neuron_dashboard_view.cpp" line="105"/>
        <location filename="../views/ndtmoe_views/neuron_dashboard_view.cpp" line="148"/>
        <location filename="../views/ndtmoe_views/neuron_dashboard_view.cpp" line="171"/>
        <source>The store could not be read: %1</source>
        <translation>Der Speicher ließ sich nicht lesen: %1</translation>
    </message>
    <message>
        <location filename="../views/ndtmoe_views/neuron_dashboard_view.cpp" line="127"/>
        <source>This run was traced without neuron records (ndtmoe trace --neurons on records them).</source>
        <translation>Dieser Lauf wurde ohne Neuronen-Aufzeichnung aufgezeichnet (ndtmoe trace --neurons on zeichnet sie auf).</translation>
    </message>
    <message>
        <location filename="../views/ndtmoe_views/neuron_dashboard_view.cpp" line="250"/>
        <source>%1 (%2)</source>
        <translation>%1 (%2)</translation>
    </message>
    <message>
        <location filename="../views/ndtmoe_views/neuron_dashboard_view.cpp" line="251"/>
        <source>sample %1</source>
        <translation>Stichprobe %1</translation>
    </message>
    <message>
        <location filename="../views/ndtmoe_views/neuron_dashboard_view.cpp" line="252"/>
        <source>token %1</source>
        <translation>Token %1</translation>
    </message>
    <message>
        <location filename="../views/ndtmoe_views/neuron_dashboard_view.cpp" line="255"/>
        <source>sample %1, activation %2</source>
        <translation>Stichprobe %1, Aktivierung %2</translation>
    </message>
    <message>
        <location filename="../views/ndtmoe_views/neuron_dashboard_view.cpp" line="260"/>
        <source>sample %1 could not be read</source>
        <translation>Stichprobe %1 ließ sich nicht lesen</translation>
    </message>
    <message>
        <location filename="../views/ndtmoe_views/neuron_dashboard_view.cpp" line="287"/>
        <source>Layer %1, neuron %2 (expert %3, unit %4): fires on %5% of %6 positions, mean activation %7, max %8.</source>
        <translation>Schicht %1, Neuron %2 (Experte %3, Einheit %4): feuert auf %5 % von %6 Positionen, mittlere Aktivierung %7, Maximum %8.</translation>
    </message>
    <message>
        <location filename="../views/ndtmoe_views/neuron_dashboard_view.cpp" line="293"/>
        <source>Silenced on its top-50 samples: %1% change class, the predicted class loses %2 probability on average.</source>
        <translation>Auf seinen Top-50-Stichproben stummgeschaltet: %1 % wechseln die Klasse, die vorhergesagte Klasse verliert im Mittel %2 an Wahrscheinlichkeit.</translation>
    </message>
    <message>
        <location filename="../views/ndtmoe_views/neuron_dashboard_view.cpp" line="295"/>
        <source>Silenced on its top-50 samples: %1% move, by %2 (standardized) on average.</source>
        <translation>Auf seinen Top-50-Stichproben stummgeschaltet: %1 % ändern sich, im Mittel um %2 (standardisiert).</translation>
    </message>
    <message>
        <location filename="../views/ndtmoe_views/neuron_dashboard_view.cpp" line="301"/>
        <source>Sample %1 fires no neuron of this layer.</source>
        <translation>Stichprobe %1 aktiviert kein Neuron dieser Schicht.</translation>
    </message>
    <message>
        <location filename="../views/ndtmoe_views/neuron_dashboard_view.cpp" line="302"/>
        <source>Sample %1 fires %2 neurons here; the strongest: %3</source>
        <translation>Stichprobe %1 aktiviert hier %2 Neuronen; die stärksten: %3</translation>
    </message>
    <message>
        <location filename="../views/ndtmoe_views/neuron_dashboard_view.cpp" line="307"/>
        <source>Activation histogram</source>
        <translation>Aktivierungshistogramm</translation>
    </message>
    <message>
        <location filename="../views/ndtmoe_views/neuron_dashboard_view.cpp" line="308"/>
        <source>Classes of its top-50 firings</source>
        <translation>Klassen seiner 50 stärksten Aktivierungen</translation>
    </message>
    <message>
        <location filename="../views/ndtmoe_views/neuron_dashboard_view.cpp" line="325"/>
        <source>gated activation</source>
        <translation>gewichtete Aktivierung</translation>
    </message>
    <message>
        <location filename="../views/ndtmoe_views/neuron_dashboard_view.cpp" line="327"/>
        <source>positions</source>
        <translation>Positionen</translation>
    </message>
    <message>
        <location filename="../views/ndtmoe_views/neuron_dashboard_view.cpp" line="343"/>
        <source>% of top-50 firings</source>
        <translation>% der Top-50-Aktivierungen</translation>
    </message>
    <message>
        <location filename="../views/ndtmoe_views/neuron_dashboard_view.cpp" line="346"/>
        <source>Its weights over the inputs (blue −, red +)</source>
        <translation>Seine Gewichte über den Eingaben (blau −, rot +)</translation>
    </message>
    <message>
        <location filename="../views/ndtmoe_views/neuron_dashboard_view.cpp" line="367"/>
        <source>channel 0, ±%1</source>
        <translation>Kanal 0, ±%1</translation>
    </message>
    <message>
        <location filename="../views/ndtmoe_views/neuron_dashboard_view.cpp" line="387"/>
        <source>weight</source>
        <translation>Gewicht</translation>
    </message>
    <message>
        <location filename="../views/ndtmoe_views/neuron_dashboard_view.cpp" line="412"/>
        <source>Strongest firings:</source>
        <translation>Stärkste Aktivierungen:</translation>
    </message>
</context>
<context>
    <name>ndtmoe::views::RoutingTreeView</name>
    <message>
        <location filename="../views/ndtmoe_views/routing_tree_view.cpp" line="176"/>
        <source>This run&apos;s student is of family %1, whose router has no decision tree.
Its routing is in the decision path, utilization and samples views.</source>
        <translation>Der Schüler dieses Laufs gehört zur Familie %1, deren Router keinen Entscheidungsbaum hat.
Sein Routing zeigen die Ansichten Entscheidungspfad, Auslastung und Stichproben.</translation>
    </message>
    <message>
        <location filename="../views/ndtmoe_views/routing_tree_view.cpp" line="418"/>
        <source>Layer %1, tree %2. Edge width: share of samples. Node bars: classes; leaf bars: the leaf&apos;s samples by their top-1 expert. Node text: the level&apos;s test over standardized inputs and its one-input form (≈: approximate).</source>
        <translation>Schicht %1, Baum %2. Kantenbreite: Anteil der Stichproben. Knotenbalken: Klassen; Blattbalken: die Stichproben des Blatts nach ihrem Top-1-Experten. Knotentext: der Test der Ebene über standardisierten Eingaben und seine Form mit einer Eingabe (≈: angenähert).</translation>
    </message>
    <message>
        <location filename="../views/ndtmoe_views/routing_tree_view.cpp" line="424"/>
        <source>Outlined: the path of sample %1 as edited in what-if.</source>
        <translation>Umrandet: der Pfad von Stichprobe %1, wie im Was-wäre-wenn geändert.</translation>
    </message>
    <message>
        <location filename="../views/ndtmoe_views/routing_tree_view.cpp" line="424"/>
        <source>Outlined: the path of sample %1.</source>
        <translation>Umrandet: der Pfad von Stichprobe %1.</translation>
    </message>
</context>
<context>
    <name>ndtmoe::views::RunListModel</name>
    <message>
        <location filename="../views/ndtmoe_views/run_list_model.cpp" line="37"/>
        <source>Shard %1 of a trace: samples %2 to %3 of the data. Join the shards into one run with ndtmoe store merge.</source>
        <translation>Teil %1 einer Aufzeichnung: Stichproben %2 bis %3 der Daten. Die Teile mit ndtmoe store merge zu einem Lauf zusammenführen.</translation>
    </message>
    <message>
        <location filename="../views/ndtmoe_views/run_list_model.cpp" line="46"/>
        <source>%1/%2 (shard %3)</source>
        <translation>%1/%2 (Teil %3)</translation>
    </message>
    <message>
        <location filename="../views/ndtmoe_views/run_list_model.cpp" line="57"/>
        <source>Id</source>
        <translation>ID</translation>
    </message>
    <message>
        <location filename="../views/ndtmoe_views/run_list_model.cpp" line="58"/>
        <source>Name</source>
        <translation>Name</translation>
    </message>
    <message>
        <location filename="../views/ndtmoe_views/run_list_model.cpp" line="59"/>
        <source>Family</source>
        <translation>Familie</translation>
    </message>
    <message>
        <location filename="../views/ndtmoe_views/run_list_model.cpp" line="60"/>
        <source>Status</source>
        <translation>Status</translation>
    </message>
    <message>
        <location filename="../views/ndtmoe_views/run_list_model.cpp" line="61"/>
        <source>Samples</source>
        <translation>Stichproben</translation>
    </message>
    <message>
        <location filename="../views/ndtmoe_views/run_list_model.cpp" line="62"/>
        <source>Student</source>
        <translation>Schüler</translation>
    </message>
    <message>
        <location filename="../views/ndtmoe_views/run_list_model.cpp" line="63"/>
        <source>Teacher</source>
        <translation>Lehrer</translation>
    </message>
</context>
<context>
    <name>ndtmoe::views::SampleTableModel</name>
    <message>
        <location filename="../views/ndtmoe_views/samples_view.cpp" line="63"/>
        <source>Sample</source>
        <translation>Stichprobe</translation>
    </message>
    <message>
        <location filename="../views/ndtmoe_views/samples_view.cpp" line="64"/>
        <source>Split</source>
        <translation>Teilmenge</translation>
    </message>
    <message>
        <location filename="../views/ndtmoe_views/samples_view.cpp" line="65"/>
        <source>Label</source>
        <translation>Label</translation>
    </message>
    <message>
        <location filename="../views/ndtmoe_views/samples_view.cpp" line="66"/>
        <source>Student</source>
        <translation>Schüler</translation>
    </message>
    <message>
        <location filename="../views/ndtmoe_views/samples_view.cpp" line="67"/>
        <source>Confidence</source>
        <translation>Konfidenz</translation>
    </message>
    <message>
        <location filename="../views/ndtmoe_views/samples_view.cpp" line="68"/>
        <source>Teacher</source>
        <translation>Lehrer</translation>
    </message>
</context>
<context>
    <name>ndtmoe::views::SamplesView</name>
    <message>
        <location filename="../views/ndtmoe_views/samples_view.cpp" line="75"/>
        <source>Misclassified</source>
        <translation>Falsch klassifiziert</translation>
    </message>
    <message>
        <location filename="../views/ndtmoe_views/samples_view.cpp" line="75"/>
        <source>Disagrees with teacher</source>
        <translation>Weicht vom Lehrer ab</translation>
    </message>
    <message>
        <location filename="../views/ndtmoe_views/samples_view.cpp" line="76"/>
        <source>Confidence ≤</source>
        <translation>Konfidenz ≤</translation>
    </message>
    <message>
        <location filename="../views/ndtmoe_views/samples_view.cpp" line="80"/>
        <source>All samples</source>
        <translation>Alle Stichproben</translation>
    </message>
    <message>
        <location filename="../views/ndtmoe_views/samples_view.cpp" line="81"/>
        <source>Forget the node, expert or class that narrows the list</source>
        <translation>Knoten, Experten oder Klasse vergessen, die die Liste einschränken</translation>
    </message>
    <message>
        <location filename="../views/ndtmoe_views/samples_view.cpp" line="122"/>
        <source>listing samples…</source>
        <translation>Stichproben werden gelistet …</translation>
    </message>
    <message>
        <location filename="../views/ndtmoe_views/samples_view.cpp" line="134"/>
        <source>Could not list the samples: %1</source>
        <translation>Die Stichproben konnten nicht gelistet werden: %1</translation>
    </message>
    <message>
        <location filename="../views/ndtmoe_views/samples_view.cpp" line="140"/>
        <source>all samples</source>
        <translation>alle Stichproben</translation>
    </message>
    <message>
        <location filename="../views/ndtmoe_views/samples_view.cpp" line="142"/>
        <source>layer %1, tree %2, level %3, node %4</source>
        <translation>Schicht %1, Baum %2, Ebene %3, Knoten %4</translation>
    </message>
    <message>
        <location filename="../views/ndtmoe_views/samples_view.cpp" line="143"/>
        <source>layer %1, expert %2</source>
        <translation>Schicht %1, Experte %2</translation>
    </message>
    <message>
        <location filename="../views/ndtmoe_views/samples_view.cpp" line="144"/>
        <source>, class %1</source>
        <translation>, Klasse %1</translation>
    </message>
    <message numerus="yes">
        <location filename="../views/ndtmoe_views/samples_view.cpp" line="145"/>
        <source>%n hand-picked sample(s)</source>
        <translation>
            <numerusform>%n ausgewählte Probe</numerusform>
            <numerusform>%n ausgewählte Proben</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../views/ndtmoe_views/samples_view.cpp" line="146"/>
        <source>%n sample(s) · %1</source>
        <translation>
            <numerusform>%n Stichprobe · %1</numerusform>
            <numerusform>%n Stichproben · %1</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>ndtmoe::views::TokenLanesView</name>
    <message>
        <location filename="../views/ndtmoe_views/token_lanes_view.cpp" line="130"/>
        <source>This run routes whole samples, not tokens</source>
        <translation>Dieser Lauf routet ganze Stichproben, keine Token</translation>
    </message>
    <message>
        <location filename="../views/ndtmoe_views/token_lanes_view.cpp" line="131"/>
        <source>Select a sample to see its tokens</source>
        <translation>Wählen Sie eine Stichprobe, um ihre Token zu sehen</translation>
    </message>
    <message>
        <location filename="../views/ndtmoe_views/token_lanes_view.cpp" line="136"/>
        <source>Sample %1: top-1 expert of each patch per layer (stronger = higher gate weight)</source>
        <translation>Stichprobe %1: Top-1-Experte jedes Patches je Schicht (kräftiger = höheres Gate-Gewicht)</translation>
    </message>
    <message>
        <location filename="../views/ndtmoe_views/token_lanes_view.cpp" line="137"/>
        <source>Sample %1: top-1 expert of each token per layer (lighter = lower gate weight)</source>
        <translation>Stichprobe %1: Top-1-Experte jedes Tokens je Schicht (heller = geringeres Gate-Gewicht)</translation>
    </message>
    <message>
        <location filename="../views/ndtmoe_views/token_lanes_view.cpp" line="149"/>
        <location filename="../views/ndtmoe_views/token_lanes_view.cpp" line="154"/>
        <source>layer %1</source>
        <translation>Schicht %1</translation>
    </message>
    <message>
        <location filename="../views/ndtmoe_views/token_lanes_view.cpp" line="206"/>
        <source>&apos;%1&apos; (position %2), layer %3</source>
        <translation>„%1“ (Position %2), Schicht %3</translation>
    </message>
    <message>
        <location filename="../views/ndtmoe_views/token_lanes_view.cpp" line="208"/>
        <source>expert %1: weight %2</source>
        <translation>Experte %1: Gewicht %2</translation>
    </message>
</context>
<context>
    <name>ndtmoe::views::TrainingView</name>
    <message>
        <location filename="../views/ndtmoe_views/training_view.cpp" line="42"/>
        <source>No training running. File ▸ New run… starts one.</source>
        <translation>Kein Training läuft. Datei ▸ Neuer Lauf … startet eines.</translation>
    </message>
    <message>
        <location filename="../views/ndtmoe_views/training_view.cpp" line="43"/>
        <source>Cancel</source>
        <translation>Abbrechen</translation>
    </message>
    <message>
        <location filename="../views/ndtmoe_views/training_view.cpp" line="43"/>
        <location filename="../views/ndtmoe_views/training_view.cpp" line="215"/>
        <source>Pause</source>
        <translation>Pause</translation>
    </message>
    <message>
        <location filename="../views/ndtmoe_views/training_view.cpp" line="44"/>
        <source>Log loss axis</source>
        <translation>Log. Verlustachse</translation>
    </message>
    <message>
        <location filename="../views/ndtmoe_views/training_view.cpp" line="51"/>
        <source>Hold the training after the current step, freeing the processor; press again to continue</source>
        <translation>Das Training nach dem aktuellen Schritt anhalten und den Prozessor freigeben; erneut drücken zum Fortsetzen</translation>
    </message>
    <message>
        <location filename="../views/ndtmoe_views/training_view.cpp" line="54"/>
        <source>Stop after the current step; a cancelled run is saved and can be resumed with ndtmoe train --resume</source>
        <translation>Nach dem aktuellen Schritt anhalten; ein abgebrochener Lauf wird gespeichert und kann mit ndtmoe train --resume fortgesetzt werden</translation>
    </message>
    <message>
        <location filename="../views/ndtmoe_views/training_view.cpp" line="56"/>
        <source>Loss terms (training)</source>
        <translation>Verlustterme (Training)</translation>
    </message>
    <message>
        <location filename="../views/ndtmoe_views/training_view.cpp" line="56"/>
        <location filename="../views/ndtmoe_views/training_view.cpp" line="145"/>
        <source>loss</source>
        <translation>Verlust</translation>
    </message>
    <message>
        <location filename="../views/ndtmoe_views/training_view.cpp" line="57"/>
        <source>Validation metrics (epoch ends)</source>
        <translation>Validierungsmetriken (Epochenenden)</translation>
    </message>
    <message>
        <location filename="../views/ndtmoe_views/training_view.cpp" line="57"/>
        <source>value</source>
        <translation>Wert</translation>
    </message>
    <message>
        <location filename="../views/ndtmoe_views/training_view.cpp" line="61"/>
        <source>Smoothing </source>
        <translation>Glättung </translation>
    </message>
    <message>
        <location filename="../views/ndtmoe_views/training_view.cpp" line="62"/>
        <source>Exponential moving average of the curves (TensorBoard&apos;s smoothing weight; 0: raw values)</source>
        <translation>Exponentieller gleitender Mittelwert der Kurven (Glättungsgewicht wie in TensorBoard; 0: Rohwerte)</translation>
    </message>
    <message>
        <location filename="../views/ndtmoe_views/training_view.cpp" line="103"/>
        <source>Run %1 was stored without its training history.</source>
        <translation>Lauf %1 wurde ohne seinen Trainingsverlauf gespeichert.</translation>
    </message>
    <message>
        <location filename="../views/ndtmoe_views/training_view.cpp" line="104"/>
        <source>Training history of run %1 (%2 logged steps)</source>
        <translation>Trainingsverlauf von Lauf %1 (%2 protokollierte Schritte)</translation>
    </message>
    <message>
        <location filename="../views/ndtmoe_views/training_view.cpp" line="145"/>
        <source>loss (log scale)</source>
        <translation>Verlust (log. Skala)</translation>
    </message>
    <message>
        <location filename="../views/ndtmoe_views/training_view.cpp" line="194"/>
        <source>, about %1 left</source>
        <translation>, noch etwa %1</translation>
    </message>
    <message>
        <location filename="../views/ndtmoe_views/training_view.cpp" line="195"/>
        <source>%1 — epoch %2</source>
        <translation>%1 — Epoche %2</translation>
    </message>
    <message>
        <location filename="../views/ndtmoe_views/training_view.cpp" line="196"/>
        <source>%1 — %2 elapsed%3</source>
        <translation>%1 — %2 vergangen%3</translation>
    </message>
    <message>
        <location filename="../views/ndtmoe_views/training_view.cpp" line="197"/>
        <source>Paused — %1</source>
        <translation>Angehalten — %1</translation>
    </message>
    <message>
        <location filename="../views/ndtmoe_views/training_view.cpp" line="215"/>
        <source>Resume</source>
        <translation>Fortsetzen</translation>
    </message>
</context>
<context>
    <name>ndtmoe::views::TuningView</name>
    <message>
        <location filename="../views/ndtmoe_views/tuning_view.cpp" line="36"/>
        <source>Trials of the search</source>
        <translation>Versuche der Suche</translation>
    </message>
    <message>
        <location filename="../views/ndtmoe_views/tuning_view.cpp" line="53"/>
        <source>This run was trained without tuning (ndtmoe train --tune, or Tune first in New run).</source>
        <translation>Dieser Lauf wurde ohne Abstimmung trainiert (ndtmoe train --tune oder „Zuerst abstimmen“ in Neuer Lauf).</translation>
    </message>
    <message numerus="yes">
        <location filename="../views/ndtmoe_views/tuning_view.cpp" line="56"/>
        <source>%n trial(s), %1 sampler, %2 inner folds, budget %3. Chosen: %4.</source>
        <translation>
            <numerusform>%n Versuch, Sampler %1, %2 innere Folds, Budget %3. Gewählt: %4.</numerusform>
            <numerusform>%n Versuche, Sampler %1, %2 innere Folds, Budget %3. Gewählt: %4.</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../views/ndtmoe_views/tuning_view.cpp" line="58"/>
        <source>the highest score</source>
        <translation>die höchste Bewertung</translation>
    </message>
    <message>
        <location filename="../views/ndtmoe_views/tuning_view.cpp" line="77"/>
        <source>best so far</source>
        <translation>bisher beste</translation>
    </message>
    <message>
        <location filename="../views/ndtmoe_views/tuning_view.cpp" line="79"/>
        <source>trial (mean over inner folds)</source>
        <translation>Versuch (Mittel über die inneren Folds)</translation>
    </message>
    <message>
        <location filename="../views/ndtmoe_views/tuning_view.cpp" line="80"/>
        <source>stopped behind the best on its folds (their mean)</source>
        <translation>hinter dem besten auf seinen Folds abgebrochen (deren Mittel)</translation>
    </message>
    <message>
        <location filename="../views/ndtmoe_views/tuning_view.cpp" line="81"/>
        <source>again on a fresh split (mean)</source>
        <translation>erneut auf einer frischen Aufteilung (Mittel)</translation>
    </message>
    <message>
        <location filename="../views/ndtmoe_views/tuning_view.cpp" line="82"/>
        <source>chosen</source>
        <translation>gewählt</translation>
    </message>
    <message>
        <location filename="../views/ndtmoe_views/tuning_view.cpp" line="103"/>
        <location filename="../views/ndtmoe_views/tuning_view.cpp" line="123"/>
        <source>trial</source>
        <translation>Versuch</translation>
    </message>
    <message>
        <location filename="../views/ndtmoe_views/tuning_view.cpp" line="104"/>
        <source>score (inner CV)</source>
        <translation>Bewertung (innere KV)</translation>
    </message>
    <message>
        <location filename="../views/ndtmoe_views/tuning_view.cpp" line="123"/>
        <source>score</source>
        <translation>Bewertung</translation>
    </message>
    <message>
        <location filename="../views/ndtmoe_views/tuning_view.cpp" line="123"/>
        <source>inner folds</source>
        <translation>innere Folds</translation>
    </message>
    <message>
        <location filename="../views/ndtmoe_views/tuning_view.cpp" line="123"/>
        <source>ended</source>
        <translation>Ende</translation>
    </message>
    <message>
        <location filename="../views/ndtmoe_views/tuning_view.cpp" line="123"/>
        <source>seconds</source>
        <translation>Sekunden</translation>
    </message>
    <message>
        <location filename="../views/ndtmoe_views/tuning_view.cpp" line="123"/>
        <source>fresh split</source>
        <translation>frische Aufteilung</translation>
    </message>
</context>
<context>
    <name>ndtmoe::views::UtilizationView</name>
    <message>
        <location filename="../views/ndtmoe_views/utilization_view.cpp" line="47"/>
        <source>samples</source>
        <translation>Stichproben</translation>
    </message>
    <message>
        <location filename="../views/ndtmoe_views/utilization_view.cpp" line="81"/>
        <source>E%1</source>
        <translation>E%1</translation>
    </message>
    <message>
        <location filename="../views/ndtmoe_views/utilization_view.cpp" line="86"/>
        <location filename="../views/ndtmoe_views/utilization_view.cpp" line="94"/>
        <source>expert (top-1)</source>
        <translation>Experte (Top-1)</translation>
    </message>
    <message>
        <location filename="../views/ndtmoe_views/utilization_view.cpp" line="86"/>
        <source>class</source>
        <translation>Klasse</translation>
    </message>
    <message>
        <location filename="../views/ndtmoe_views/utilization_view.cpp" line="91"/>
        <source>Layer %1: expert × class</source>
        <translation>Schicht %1: Experte × Klasse</translation>
    </message>
    <message>
        <location filename="../views/ndtmoe_views/utilization_view.cpp" line="94"/>
        <source>layer</source>
        <translation>Schicht</translation>
    </message>
    <message>
        <location filename="../views/ndtmoe_views/utilization_view.cpp" line="99"/>
        <source>Expert × layer</source>
        <translation>Experte × Schicht</translation>
    </message>
    <message>
        <location filename="../views/ndtmoe_views/utilization_view.cpp" line="103"/>
        <source>expert in layer %1</source>
        <translation>Experte in Schicht %1</translation>
    </message>
    <message>
        <location filename="../views/ndtmoe_views/utilization_view.cpp" line="107"/>
        <source>Flow: layer %1 → %2</source>
        <translation>Fluss: Schicht %1 → %2</translation>
    </message>
    <message>
        <location filename="../views/ndtmoe_views/utilization_view.cpp" line="176"/>
        <source>%1 %2, %3 %4: %5 samples (%6% of the table)</source>
        <translation>%1 %2, %3 %4: %5 Stichproben (%6 % der Tabelle)</translation>
    </message>
</context>
<context>
    <name>ndtmoe::workbench::FamilyOptionsForm</name>
    <message>
        <location filename="../app/workbench/family_options_form.cpp" line="74"/>
        <source>Model family of the student: how its router chooses experts</source>
        <translation>Modellfamilie des Schülers: wie sein Router Experten wählt</translation>
    </message>
    <message>
        <location filename="../app/workbench/family_options_form.cpp" line="78"/>
        <source>Family:</source>
        <translation>Familie:</translation>
    </message>
</context>
<context>
    <name>ndtmoe::workbench::FigureExportDialog</name>
    <message>
        <location filename="../app/workbench/figure_export_dialog.cpp" line="20"/>
        <source>Export figure</source>
        <translation>Abbildung exportieren</translation>
    </message>
    <message>
        <location filename="../app/workbench/figure_export_dialog.cpp" line="21"/>
        <source>The figure&apos;s own size</source>
        <translation>Eigene Größe der Abbildung</translation>
    </message>
    <message>
        <location filename="../app/workbench/figure_export_dialog.cpp" line="23"/>
        <source>Custom width and text size</source>
        <translation>Eigene Breite und Schriftgröße</translation>
    </message>
    <message>
        <location filename="../app/workbench/figure_export_dialog.cpp" line="25"/>
        <source>A length such as 3.5in, 8.9cm, 89mm or 252pt</source>
        <translation>Eine Länge wie 3.5in, 8.9cm, 89mm oder 252pt</translation>
    </message>
    <message>
        <location filename="../app/workbench/figure_export_dialog.cpp" line="29"/>
        <source> pt</source>
        <translation> pt</translation>
    </message>
    <message>
        <location filename="../app/workbench/figure_export_dialog.cpp" line="34"/>
        <source>Size</source>
        <translation>Größe</translation>
    </message>
    <message>
        <location filename="../app/workbench/figure_export_dialog.cpp" line="35"/>
        <source>Width</source>
        <translation>Breite</translation>
    </message>
    <message>
        <location filename="../app/workbench/figure_export_dialog.cpp" line="36"/>
        <source>Text size</source>
        <translation>Schriftgröße</translation>
    </message>
    <message>
        <location filename="../app/workbench/figure_export_dialog.cpp" line="37"/>
        <source>PNG resolution (dpi)</source>
        <translation>PNG-Auflösung (dpi)</translation>
    </message>
    <message>
        <location filename="../app/workbench/figure_export_dialog.cpp" line="86"/>
        <source>&lt;span style=&apos;color:#c62828&apos;&gt;Width: give a length such as 3.5in, 8.9cm, 89mm or 252pt&lt;/span&gt;</source>
        <translation>&lt;span style=&apos;color:#c62828&apos;&gt;Breite: eine Länge wie 3.5in, 8.9cm, 89mm oder 252pt angeben&lt;/span&gt;</translation>
    </message>
    <message>
        <location filename="../app/workbench/figure_export_dialog.cpp" line="92"/>
        <source>, text %1 pt</source>
        <translation>, Schrift %1 pt</translation>
    </message>
    <message>
        <location filename="../app/workbench/figure_export_dialog.cpp" line="93"/>
        <source>%1 × %2 in (%3 × %4 pt)%5</source>
        <translation>%1 × %2 in (%3 × %4 pt)%5</translation>
    </message>
    <message>
        <location filename="../app/workbench/figure_export_dialog.cpp" line="100"/>
        <source> · %1 × %2 px at %3 dpi</source>
        <translation> · %1 × %2 px bei %3 dpi</translation>
    </message>
    <message>
        <location filename="../app/workbench/figure_export_dialog.cpp" line="101"/>
        <source> · the preview shows it at its size on paper</source>
        <translation> · die Vorschau zeigt sie in ihrer Größe auf Papier</translation>
    </message>
</context>
<context>
    <name>ndtmoe::workbench::GuardedApplication</name>
    <message>
        <location filename="../app/workbench/guarded_application.cpp" line="23"/>
        <source>an unknown error</source>
        <translation>ein unbekannter Fehler</translation>
    </message>
</context>
<context>
    <name>ndtmoe::workbench::MainWindow</name>
    <message>
        <location filename="../app/workbench/main_window.cpp" line="103"/>
        <location filename="../app/workbench/main_window.cpp" line="319"/>
        <location filename="../app/workbench/main_window.cpp" line="391"/>
        <location filename="../app/workbench/main_window.cpp" line="401"/>
        <source>NDT-MoE Workbench</source>
        <translation>NDT-MoE Workbench</translation>
    </message>
    <message>
        <location filename="../app/workbench/main_window.cpp" line="143"/>
        <source>Samples</source>
        <translation>Stichproben</translation>
    </message>
    <message>
        <location filename="../app/workbench/main_window.cpp" line="130"/>
        <source>Compare selected runs</source>
        <translation>Ausgewählte Läufe vergleichen</translation>
    </message>
    <message>
        <location filename="../app/workbench/main_window.cpp" line="131"/>
        <source>Select two or more runs (Ctrl+click) to see their metrics, load health and specialization side by side</source>
        <translation>Wählen Sie zwei oder mehr Läufe (Strg+Klick), um Metriken, Lastverteilung und Spezialisierung nebeneinander zu sehen</translation>
    </message>
    <message>
        <location filename="../app/workbench/main_window.cpp" line="139"/>
        <source>Runs</source>
        <translation>Läufe</translation>
    </message>
    <message>
        <location filename="../app/workbench/main_window.cpp" line="140"/>
        <source>Decision path</source>
        <translation>Entscheidungspfad</translation>
    </message>
    <message>
        <location filename="../app/workbench/main_window.cpp" line="142"/>
        <source>Expert utilization</source>
        <translation>Expertenauslastung</translation>
    </message>
    <message>
        <location filename="../app/workbench/main_window.cpp" line="145"/>
        <source>Embedding</source>
        <translation>Einbettung</translation>
    </message>
    <message>
        <location filename="../app/workbench/main_window.cpp" line="146"/>
        <source>Feature importance</source>
        <translation>Merkmalswichtigkeit</translation>
    </message>
    <message>
        <location filename="../app/workbench/main_window.cpp" line="150"/>
        <source>Training</source>
        <translation>Training</translation>
    </message>
    <message>
        <location filename="../app/workbench/main_window.cpp" line="151"/>
        <source>Comparison</source>
        <translation>Vergleich</translation>
    </message>
    <message>
        <location filename="../app/workbench/main_window.cpp" line="153"/>
        <source>Decomposition frontier</source>
        <translation>Front der Zerlegungen</translation>
    </message>
    <message>
        <location filename="../app/workbench/main_window.cpp" line="160"/>
        <source>Tokens</source>
        <translation>Token</translation>
    </message>
    <message>
        <location filename="../app/workbench/main_window.cpp" line="162"/>
        <source>Neurons</source>
        <translation>Neuronen</translation>
    </message>
    <message>
        <location filename="../app/workbench/main_window.cpp" line="167"/>
        <source>Decoder experts</source>
        <translation>Decoder-Experten</translation>
    </message>
    <message>
        <location filename="../app/workbench/main_window.cpp" line="169"/>
        <source>Tuning</source>
        <translation>Abstimmung</translation>
    </message>
    <message>
        <location filename="../app/workbench/main_window.cpp" line="176"/>
        <source>Training paused</source>
        <translation>Training angehalten</translation>
    </message>
    <message>
        <location filename="../app/workbench/main_window.cpp" line="176"/>
        <source>Training continues</source>
        <translation>Training wird fortgesetzt</translation>
    </message>
    <message>
        <location filename="../app/workbench/main_window.cpp" line="181"/>
        <source>View</source>
        <translation>Ansicht</translation>
    </message>
    <message>
        <location filename="../app/workbench/main_window.cpp" line="183"/>
        <source> Layer </source>
        <translation> Schicht </translation>
    </message>
    <message>
        <location filename="../app/workbench/main_window.cpp" line="185"/>
        <source> Tree </source>
        <translation> Baum </translation>
    </message>
    <message>
        <location filename="../app/workbench/main_window.cpp" line="187"/>
        <source>Fit</source>
        <translation>Einpassen</translation>
    </message>
    <message>
        <location filename="../app/workbench/main_window.cpp" line="189"/>
        <source>Fit the routing tree into the view (Ctrl+0)</source>
        <translation>Den Routing-Baum in die Ansicht einpassen (Strg+0)</translation>
    </message>
    <message>
        <location filename="../app/workbench/main_window.cpp" line="204"/>
        <source>Fold empty branches</source>
        <translation>Leere Zweige einklappen</translation>
    </message>
    <message>
        <location filename="../app/workbench/main_window.cpp" line="204"/>
        <source>Draw each branch that no sample reaches as one small stub, so deep trees show the part the data uses</source>
        <translation>Jeden Zweig, den keine Stichprobe erreicht, als kleinen Stummel zeichnen, damit tiefe Bäume den Teil zeigen, den die Daten nutzen</translation>
    </message>
    <message>
        <location filename="../app/workbench/main_window.cpp" line="206"/>
        <source>Icicle</source>
        <translation>Eiszapfen</translation>
    </message>
    <message>
        <location filename="../app/workbench/main_window.cpp" line="206"/>
        <source>Draw the tree as rows of levels, each node as wide as its share of the samples (for deep or wide trees)</source>
        <translation>Den Baum als Zeilen von Ebenen zeichnen, jeden Knoten so breit wie sein Anteil an den Stichproben (für tiefe oder breite Bäume)</translation>
    </message>
    <message>
        <location filename="../app/workbench/main_window.cpp" line="208"/>
        <source>The MoE layer whose router the views show</source>
        <translation>Die MoE-Schicht, deren Router die Ansichten zeigen</translation>
    </message>
    <message>
        <location filename="../app/workbench/main_window.cpp" line="209"/>
        <source>The tree of the layer&apos;s router</source>
        <translation>Der Baum des Routers dieser Schicht</translation>
    </message>
    <message>
        <location filename="../app/workbench/main_window.cpp" line="217"/>
        <source>Sample %1 selected</source>
        <translation>Stichprobe %1 ausgewählt</translation>
    </message>
    <message>
        <location filename="../app/workbench/main_window.cpp" line="225"/>
        <source>Open a trace store (File ▸ Open) or start with --demo</source>
        <translation>Öffnen Sie einen Trace-Speicher (Datei ▸ Öffnen) oder starten Sie mit --demo</translation>
    </message>
    <message>
        <location filename="../app/workbench/main_window.cpp" line="231"/>
        <source>&amp;File</source>
        <translation>&amp;Datei</translation>
    </message>
    <message>
        <location filename="../app/workbench/main_window.cpp" line="232"/>
        <source>&amp;New run…</source>
        <translation>&amp;Neuer Lauf …</translation>
    </message>
    <message>
        <location filename="../app/workbench/main_window.cpp" line="233"/>
        <source>&amp;Open trace store…</source>
        <translation>Trace-Speicher ö&amp;ffnen …</translation>
    </message>
    <message>
        <location filename="../app/workbench/main_window.cpp" line="234"/>
        <source>Open &amp;recent</source>
        <translation>&amp;Zuletzt geöffnet</translation>
    </message>
    <message>
        <location filename="../app/workbench/main_window.cpp" line="236"/>
        <source>&amp;Export figure of the focused view…</source>
        <translation>Abbildung der aktiven Ansicht &amp;exportieren …</translation>
    </message>
    <message>
        <location filename="../app/workbench/main_window.cpp" line="237"/>
        <source>Export &amp;all figures of this run…</source>
        <translation>&amp;Alle Abbildungen dieses Laufs exportieren …</translation>
    </message>
    <message>
        <location filename="../app/workbench/main_window.cpp" line="239"/>
        <source>&amp;Quit</source>
        <translation>&amp;Beenden</translation>
    </message>
    <message>
        <location filename="../app/workbench/main_window.cpp" line="240"/>
        <source>&amp;Edit</source>
        <translation>&amp;Bearbeiten</translation>
    </message>
    <message>
        <location filename="../app/workbench/main_window.cpp" line="241"/>
        <source>&amp;Undo what-if edit</source>
        <translation>Was-wäre-wenn-Änderung &amp;rückgängig</translation>
    </message>
    <message>
        <location filename="../app/workbench/main_window.cpp" line="243"/>
        <source>&amp;Redo what-if edit</source>
        <translation>Was-wäre-wenn-Änderung &amp;wiederholen</translation>
    </message>
    <message>
        <location filename="../app/workbench/main_window.cpp" line="247"/>
        <source>&amp;View</source>
        <translation>&amp;Ansicht</translation>
    </message>
    <message>
        <location filename="../app/workbench/main_window.cpp" line="250"/>
        <source>&amp;Preferences…</source>
        <translation>&amp;Einstellungen …</translation>
    </message>
    <message>
        <location filename="../app/workbench/main_window.cpp" line="256"/>
        <source>&amp;Help</source>
        <translation>&amp;Hilfe</translation>
    </message>
    <message>
        <location filename="../app/workbench/main_window.cpp" line="257"/>
        <source>&amp;About</source>
        <translation>Ü&amp;ber</translation>
    </message>
    <message>
        <location filename="../app/workbench/main_window.cpp" line="258"/>
        <source>About NDT-MoE Workbench</source>
        <translation>Über die NDT-MoE Workbench</translation>
    </message>
    <message>
        <location filename="../app/workbench/main_window.cpp" line="514"/>
        <source>The decompositions&apos; frontier could not be drawn: %1</source>
        <translation>Die Front der Zerlegungen konnte nicht gezeichnet werden: %1</translation>
    </message>
    <message>
        <location filename="../app/workbench/main_window.cpp" line="642"/>
        <source>Wrote %1 and %2</source>
        <translation>%1 und %2 geschrieben</translation>
    </message>
    <message>
        <location filename="../app/workbench/main_window.cpp" line="271"/>
        <source>A training is running</source>
        <translation>Ein Training läuft</translation>
    </message>
    <message>
        <location filename="../app/workbench/main_window.cpp" line="271"/>
        <source>Wait for it to finish or cancel it in the Training panel.</source>
        <translation>Warten Sie, bis es endet, oder brechen Sie es im Bereich Training ab.</translation>
    </message>
    <message>
        <location filename="../app/workbench/main_window.cpp" line="290"/>
        <source>Training %1 on %2…</source>
        <translation>Trainiere %1 auf %2 …</translation>
    </message>
    <message>
        <location filename="../app/workbench/main_window.cpp" line="329"/>
        <source>Open trace store</source>
        <translation>Trace-Speicher öffnen</translation>
    </message>
    <message>
        <location filename="../app/workbench/main_window.cpp" line="330"/>
        <source>Trace stores (*.sqlite *.db);;All files (*)</source>
        <translation>Trace-Speicher (*.sqlite *.db);;Alle Dateien (*)</translation>
    </message>
    <message>
        <location filename="../app/workbench/main_window.cpp" line="345"/>
        <source>%1 has no complete run yet</source>
        <translation>%1 enthält noch keinen vollständigen Lauf</translation>
    </message>
    <message>
        <location filename="../app/workbench/main_window.cpp" line="351"/>
        <location filename="../app/workbench/main_window.cpp" line="354"/>
        <source>Could not open %1</source>
        <translation>%1 konnte nicht geöffnet werden</translation>
    </message>
    <message>
        <location filename="../app/workbench/main_window.cpp" line="351"/>
        <location filename="../app/workbench/main_window.cpp" line="354"/>
        <source>
Choose a store written by ndtmoe trace.</source>
        <translation>
Wählen Sie einen Speicher, den ndtmoe trace geschrieben hat.</translation>
    </message>
    <message>
        <location filename="../app/workbench/main_window.cpp" line="415"/>
        <source>Could not read run %1</source>
        <translation>Lauf %1 konnte nicht gelesen werden</translation>
    </message>
    <message>
        <location filename="../app/workbench/main_window.cpp" line="390"/>
        <source>%1 — run %2 — NDT-MoE Workbench</source>
        <translation>%1 — Lauf %2 — NDT-MoE Workbench</translation>
    </message>
    <message>
        <location filename="../app/workbench/main_window.cpp" line="259"/>
        <source>&lt;b&gt;NDT-MoE Workbench %1&lt;/b&gt;&lt;p&gt;Train, distill and look inside mixtures of experts routed by soft decision trees.&lt;/p&gt;&lt;p&gt;Trace stores are SQLite files written by &lt;tt&gt;ndtmoe trace&lt;/tt&gt;.&lt;/p&gt;&lt;p&gt;Free software under the GNU General Public License, version 3 or later (GPL-3.0-or-later), without any warranty.&lt;/p&gt;&lt;p&gt;It links QCustomPlot (GPL-3.0-or-later), Qt 6 (LGPL-3.0), libtorch (BSD-3-Clause), Graphviz (EPL-1.0), SQLite (public domain) and OpenBLAS (BSD-3-Clause), and compiles in nlohmann/json (MIT) and CLI11 (BSD-3-Clause).&lt;/p&gt;</source>
        <translation>&lt;b&gt;NDT-MoE Workbench %1&lt;/b&gt;&lt;p&gt;Mixtures of Experts, die von weichen Entscheidungsbäumen geroutet werden, trainieren, destillieren und von innen betrachten.&lt;/p&gt;&lt;p&gt;Trace-Speicher sind SQLite-Dateien, die &lt;tt&gt;ndtmoe trace&lt;/tt&gt; schreibt.&lt;/p&gt;&lt;p&gt;Freie Software unter der GNU General Public License, Version 3 oder später (GPL-3.0-or-later), ohne jede Gewährleistung.&lt;/p&gt;&lt;p&gt;Sie bindet QCustomPlot (GPL-3.0-or-later), Qt 6 (LGPL-3.0), libtorch (BSD-3-Clause), Graphviz (EPL-1.0), SQLite (gemeinfrei) und OpenBLAS (BSD-3-Clause) ein und enthält nlohmann/json (MIT) und CLI11 (BSD-3-Clause).&lt;/p&gt;</translation>
    </message>
    <message>
        <location filename="../app/workbench/main_window.cpp" line="383"/>
        <source>%1 is damaged</source>
        <translation>%1 ist beschädigt</translation>
    </message>
    <message>
        <location filename="../app/workbench/main_window.cpp" line="384"/>
        <source>SQLite&apos;s integrity check of %1 found:
%2

The views show what can still be read and say so where they reach a damaged part. To repair it, trace the run again into a new store: ndtmoe trace --run RUN_DIR --store NEW.sqlite</source>
        <translation>Die Integritätsprüfung von SQLite fand in %1:
%2

Die Ansichten zeigen, was noch lesbar ist, und sagen es, wo sie auf einen beschädigten Teil treffen. Zur Reparatur den Lauf erneut in einen neuen Speicher aufzeichnen: ndtmoe trace --run RUN_DIR --store NEU.sqlite</translation>
    </message>
    <message>
        <location filename="../app/workbench/main_window.cpp" line="392"/>
        <source>[damaged] %1</source>
        <translation>[beschädigt] %1</translation>
    </message>
    <message>
        <location filename="../app/workbench/main_window.cpp" line="397"/>
        <source>Part of the store is damaged and could not be read</source>
        <translation>Ein Teil des Speichers ist beschädigt und konnte nicht gelesen werden</translation>
    </message>
    <message>
        <location filename="../app/workbench/main_window.cpp" line="397"/>
        <source>A view could not be updated</source>
        <translation>Eine Ansicht konnte nicht aktualisiert werden</translation>
    </message>
    <message>
        <location filename="../app/workbench/main_window.cpp" line="472"/>
        <source>Run %1: %2 samples, %3 layers × %4 experts, family %5</source>
        <translation>Lauf %1: %2 Stichproben, %3 Schichten × %4 Experten, Familie %5</translation>
    </message>
    <message>
        <location filename="../app/workbench/main_window.cpp" line="499"/>
        <source>Select the runs to compare in the Runs list first</source>
        <translation>Wählen Sie zuerst die zu vergleichenden Läufe in der Liste der Läufe</translation>
    </message>
    <message>
        <location filename="../app/workbench/main_window.cpp" line="505"/>
        <source>Could not compare the runs</source>
        <translation>Die Läufe ließen sich nicht vergleichen</translation>
    </message>
    <message>
        <location filename="../app/workbench/main_window.cpp" line="555"/>
        <location filename="../app/workbench/main_window.cpp" line="576"/>
        <source>What-if needs the run&apos;s checkpoint</source>
        <translation>Was-wäre-wenn braucht den Checkpoint des Laufs</translation>
    </message>
    <message>
        <location filename="../app/workbench/main_window.cpp" line="567"/>
        <source>Loading the run&apos;s model for what-if…</source>
        <translation>Lade das Modell des Laufs für Was-wäre-wenn…</translation>
    </message>
    <message>
        <location filename="../app/workbench/main_window.cpp" line="583"/>
        <source>Computing %1 for run %2…</source>
        <translation>Berechne %1 für Lauf %2 …</translation>
    </message>
    <message>
        <location filename="../app/workbench/main_window.cpp" line="603"/>
        <source>Could not compute %1</source>
        <translation>%1 konnte nicht berechnet werden</translation>
    </message>
    <message>
        <location filename="../app/workbench/main_window.cpp" line="607"/>
        <source>Stored %1 in the trace store</source>
        <translation>%1 im Trace-Speicher gespeichert</translation>
    </message>
    <message>
        <location filename="../app/workbench/main_window.cpp" line="619"/>
        <source>Export figure</source>
        <translation>Abbildung exportieren</translation>
    </message>
    <message>
        <location filename="../app/workbench/main_window.cpp" line="620"/>
        <source>PDF (*.pdf);;SVG (*.svg);;PNG (*.png)</source>
        <translation>PDF (*.pdf);;SVG (*.svg);;PNG (*.png)</translation>
    </message>
    <message>
        <location filename="../app/workbench/main_window.cpp" line="624"/>
        <source>Unknown figure format</source>
        <translation>Unbekanntes Abbildungsformat</translation>
    </message>
    <message>
        <location filename="../app/workbench/main_window.cpp" line="624"/>
        <source>Name the file .pdf, .svg or .png.</source>
        <translation>Geben Sie der Datei die Endung .pdf, .svg oder .png.</translation>
    </message>
    <message>
        <location filename="../app/workbench/main_window.cpp" line="631"/>
        <location filename="../app/workbench/main_window.cpp" line="639"/>
        <location filename="../app/workbench/main_window.cpp" line="655"/>
        <source>Export failed</source>
        <translation>Export fehlgeschlagen</translation>
    </message>
    <message>
        <location filename="../app/workbench/main_window.cpp" line="647"/>
        <source>Folder for the figures</source>
        <translation>Ordner für die Abbildungen</translation>
    </message>
    <message numerus="yes">
        <location filename="../app/workbench/main_window.cpp" line="653"/>
        <source>Wrote %n file(s) to %1</source>
        <translation>
            <numerusform>%n Datei nach %1 geschrieben</numerusform>
            <numerusform>%n Dateien nach %1 geschrieben</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>ndtmoe::workbench::NewRunDialog</name>
    <message>
        <location filename="../app/workbench/new_run_dialog.cpp" line="58"/>
        <source>New run</source>
        <translation>Neuer Lauf</translation>
    </message>
    <message>
        <location filename="../app/workbench/new_run_dialog.cpp" line="63"/>
        <source>A CSV or ARFF file (optionally .gz), or a built-in generator</source>
        <translation>Eine CSV- oder ARFF-Datei (auch .gz) oder ein eingebauter Generator</translation>
    </message>
    <message>
        <location filename="../app/workbench/new_run_dialog.cpp" line="64"/>
        <source>Browse…</source>
        <translation>Durchsuchen …</translation>
    </message>
    <message>
        <location filename="../app/workbench/new_run_dialog.cpp" line="74"/>
        <source>auto</source>
        <translation>automatisch</translation>
    </message>
    <message>
        <location filename="../app/workbench/new_run_dialog.cpp" line="75"/>
        <source>classification</source>
        <translation>Klassifikation</translation>
    </message>
    <message>
        <location filename="../app/workbench/new_run_dialog.cpp" line="76"/>
        <source>regression</source>
        <translation>Regression</translation>
    </message>
    <message>
        <location filename="../app/workbench/new_run_dialog.cpp" line="77"/>
        <source>Auto: a nominal target, or one with at most 30 distinct integers, is classification</source>
        <translation>Automatisch: ein nominales Ziel oder eines mit höchstens 30 verschiedenen ganzen Zahlen ist Klassifikation</translation>
    </message>
    <message>
        <location filename="../app/workbench/new_run_dialog.cpp" line="78"/>
        <source>The column to predict</source>
        <translation>Die vorherzusagende Spalte</translation>
    </message>
    <message>
        <location filename="../app/workbench/new_run_dialog.cpp" line="80"/>
        <source>transformer</source>
        <translation>Transformer</translation>
    </message>
    <message>
        <location filename="../app/workbench/new_run_dialog.cpp" line="81"/>
        <source>random forest</source>
        <translation>Random Forest</translation>
    </message>
    <message>
        <location filename="../app/workbench/new_run_dialog.cpp" line="82"/>
        <location filename="../app/workbench/new_run_dialog.cpp" line="301"/>
        <source>none</source>
        <translation>keiner</translation>
    </message>
    <message>
        <location filename="../app/workbench/new_run_dialog.cpp" line="89"/>
        <source>MoE layers over whole samples</source>
        <translation>MoE-Schichten über ganze Stichproben</translation>
    </message>
    <message>
        <location filename="../app/workbench/new_run_dialog.cpp" line="90"/>
        <source>transformer with MoE blocks, routing each token</source>
        <translation>Transformer mit MoE-Blöcken, routet jedes Token</translation>
    </message>
    <message>
        <location filename="../app/workbench/new_run_dialog.cpp" line="91"/>
        <source>A transformer student routes every token (feature, patch or byte) on its own from its hidden state; Layers is then its number of blocks, each with an MoE layer, and Width its token width</source>
        <translation>Ein Transformer-Schüler routet jedes Token (Merkmal, Patch oder Byte) einzeln nach seinem verborgenen Zustand; Schichten ist dann die Zahl seiner Blöcke, jeder mit einer MoE-Schicht, und Breite seine Tokenbreite</translation>
    </message>
    <message>
        <location filename="../app/workbench/new_run_dialog.cpp" line="96"/>
        <source>The student&apos;s (and the MLP baseline&apos;s) first layer piecewise-linear in each input, over this many bins at quantiles of the training rows: thresholds in the inputs, as trees have (0: linear)</source>
        <translation>Erste Schicht des Schülers (und der MLP-Vergleichsbasis) stückweise linear in jeder Eingabe, über so viele Intervalle an Quantilen der Trainingszeilen: Schwellen in den Eingaben, wie Bäume sie haben (0: linear)</translation>
    </message>
    <message>
        <location filename="../app/workbench/new_run_dialog.cpp" line="99"/>
        <source>linear</source>
        <translation>linear</translation>
    </message>
    <message>
        <location filename="../app/workbench/new_run_dialog.cpp" line="109"/>
        <source>A column of free text, read one UTF-8 byte per token (ARFF string attributes are text already); it must be the only feature</source>
        <translation>Eine Spalte mit freiem Text, gelesen als ein UTF-8-Byte je Token (ARFF-String-Attribute sind bereits Text); sie muss das einzige Merkmal sein</translation>
    </message>
    <message>
        <location filename="../app/workbench/new_run_dialog.cpp" line="110"/>
        <source>auto uses the GPU when libtorch sees one</source>
        <translation>automatisch nutzt die GPU, wenn libtorch eine findet</translation>
    </message>
    <message>
        <location filename="../app/workbench/new_run_dialog.cpp" line="111"/>
        <source>run name (default: the data&apos;s name and the time)</source>
        <translation>Name des Laufs (Vorgabe: Name der Daten und Uhrzeit)</translation>
    </message>
    <message>
        <location filename="../app/workbench/new_run_dialog.cpp" line="113"/>
        <source>Experts per layer</source>
        <translation>Experten pro Schicht</translation>
    </message>
    <message>
        <location filename="../app/workbench/new_run_dialog.cpp" line="114"/>
        <source>Experts each sample is sent to</source>
        <translation>Experten, an die jede Stichprobe geht</translation>
    </message>
    <message>
        <location filename="../app/workbench/new_run_dialog.cpp" line="115"/>
        <source>Hidden width d</source>
        <translation>Verborgene Breite d</translation>
    </message>
    <message>
        <location filename="../app/workbench/new_run_dialog.cpp" line="116"/>
        <source>Student epochs (early stopping may end sooner)</source>
        <translation>Epochen des Schülers (frühes Stoppen kann eher enden)</translation>
    </message>
    <message>
        <location filename="../app/workbench/new_run_dialog.cpp" line="117"/>
        <source>Samples per step</source>
        <translation>Stichproben pro Schritt</translation>
    </message>
    <message>
        <location filename="../app/workbench/new_run_dialog.cpp" line="118"/>
        <source>Teacher epochs</source>
        <translation>Epochen des Lehrers</translation>
    </message>
    <message>
        <location filename="../app/workbench/new_run_dialog.cpp" line="124"/>
        <source>no (e.g. 8x8)</source>
        <translation>nein (z. B. 8x8)</translation>
    </message>
    <message>
        <location filename="../app/workbench/new_run_dialog.cpp" line="125"/>
        <source>When the feature columns are the pixels of one image per row (row-major, like digits.csv), its size HxW or CxHxW: the teacher becomes a vision transformer</source>
        <translation>Wenn die Merkmalsspalten die Pixel eines Bildes pro Zeile sind (zeilenweise, wie in digits.csv), dessen Größe HxB oder KxHxB: der Lehrer wird ein Vision Transformer</translation>
    </message>
    <message>
        <location filename="../app/workbench/new_run_dialog.cpp" line="127"/>
        <source>Side of the square patches the vision teacher reads</source>
        <translation>Seitenlänge der quadratischen Ausschnitte, die der Vision-Lehrer liest</translation>
    </message>
    <message>
        <location filename="../app/workbench/new_run_dialog.cpp" line="130"/>
        <source>Channels of a 3x3 convolution the vision teacher runs before cutting patches (0: none)</source>
        <translation>Kanäle einer 3×3-Faltung, die der Bild-Lehrer vor dem Zerschneiden in Ausschnitte anwendet (0: keine)</translation>
    </message>
    <message>
        <location filename="../app/workbench/new_run_dialog.cpp" line="133"/>
        <source>Image data: shift each of the teacher&apos;s training images by up to this many pixels (0: none)</source>
        <translation>Bilddaten: jedes Trainingsbild des Lehrers um bis zu so viele Pixel verschieben (0: keine Verschiebung)</translation>
    </message>
    <message>
        <location filename="../app/workbench/new_run_dialog.cpp" line="135"/>
        <source>mirror</source>
        <translation>spiegeln</translation>
    </message>
    <message>
        <location filename="../app/workbench/new_run_dialog.cpp" line="137"/>
        <source>Image data: mirror half of the teacher&apos;s training images left to right</source>
        <translation>Bilddaten: die Hälfte der Trainingsbilder des Lehrers links–rechts spiegeln</translation>
    </message>
    <message>
        <location filename="../app/workbench/new_run_dialog.cpp" line="138"/>
        <source>predict from mirrors too</source>
        <translation>auch aus Spiegelbildern vorhersagen</translation>
    </message>
    <message>
        <location filename="../app/workbench/new_run_dialog.cpp" line="140"/>
        <source>Image data: the teacher predicts the mean of its logits for each image and its mirror (test-time augmentation)</source>
        <translation>Bilddaten: der Lehrer sagt den Mittelwert seiner Logits für jedes Bild und sein Spiegelbild vorher (Augmentierung zur Testzeit)</translation>
    </message>
    <message>
        <location filename="../app/workbench/new_run_dialog.cpp" line="142"/>
        <source>Seed of splits, initialisation and shuffling</source>
        <translation>Startwert für Aufteilungen, Initialisierung und Mischen</translation>
    </message>
    <message>
        <location filename="../app/workbench/new_run_dialog.cpp" line="143"/>
        <source>Peak learning rate (warm-up, then cosine decay)</source>
        <translation>Höchste Lernrate (Aufwärmen, dann Kosinus-Abfall)</translation>
    </message>
    <message>
        <location filename="../app/workbench/new_run_dialog.cpp" line="144"/>
        <source>Weight of the task loss; 1 - alpha weighs distillation</source>
        <translation>Gewicht des Aufgabenverlusts; 1 - Alpha gewichtet die Destillation</translation>
    </message>
    <message>
        <location filename="../app/workbench/new_run_dialog.cpp" line="145"/>
        <source>Distillation temperature T</source>
        <translation>Destillationstemperatur T</translation>
    </message>
    <message>
        <location filename="../app/workbench/new_run_dialog.cpp" line="146"/>
        <source>Dropout in the experts</source>
        <translation>Dropout in den Experten</translation>
    </message>
    <message>
        <location filename="../app/workbench/new_run_dialog.cpp" line="147"/>
        <source>Weight of the load-balancing loss</source>
        <translation>Gewicht des Lastausgleichsverlusts</translation>
    </message>
    <message>
        <location filename="../app/workbench/new_run_dialog.cpp" line="148"/>
        <source>Epochs without validation improvement before stopping (0: never)</source>
        <translation>Epochen ohne Verbesserung auf der Validierung bis zum Stopp (0: nie)</translation>
    </message>
    <message>
        <location filename="../app/workbench/new_run_dialog.cpp" line="151"/>
        <source>standard (z-scores)</source>
        <translation>Standard (z-Werte)</translation>
    </message>
    <message>
        <location filename="../app/workbench/new_run_dialog.cpp" line="152"/>
        <source>quantile (rank-Gaussian)</source>
        <translation>Quantile (Rang-Gauß)</translation>
    </message>
    <message>
        <location filename="../app/workbench/new_run_dialog.cpp" line="154"/>
        <source>How numeric features are scaled before the models read them: z-scores, or through their training quantiles onto a normal distribution (as NODE does), which tames skewed features and outliers. Images stay z-scored.</source>
        <translation>Wie numerische Merkmale skaliert werden, bevor die Modelle sie lesen: z-Werte, oder über ihre Trainingsquantile auf eine Normalverteilung (wie NODE), was schiefe Merkmale und Ausreißer bändigt. Bilder bleiben z-skaliert.</translation>
    </message>
    <message>
        <location filename="../app/workbench/new_run_dialog.cpp" line="158"/>
        <source>off (e.g. 40 trials or 20m)</source>
        <translation>aus (z. B. 40 Versuche oder 20m)</translation>
    </message>
    <message>
        <location filename="../app/workbench/new_run_dialog.cpp" line="167"/>
        <source>Data:</source>
        <translation>Daten:</translation>
    </message>
    <message>
        <location filename="../app/workbench/new_run_dialog.cpp" line="170"/>
        <source>beside the images (X-labels-idx1-ubyte)</source>
        <translation>neben den Bildern (X-labels-idx1-ubyte)</translation>
    </message>
    <message>
        <location filename="../app/workbench/new_run_dialog.cpp" line="171"/>
        <source>IDX images only: their labels file, when it is not beside them under MNIST&apos;s name</source>
        <translation>Nur IDX-Bilder: ihre Label-Datei, wenn sie nicht unter MNISTs Namen daneben liegt</translation>
    </message>
    <message>
        <location filename="../app/workbench/new_run_dialog.cpp" line="175"/>
        <source>Labels (IDX):</source>
        <translation>Labels (IDX):</translation>
    </message>
    <message>
        <location filename="../app/workbench/new_run_dialog.cpp" line="180"/>
        <source>Target:</source>
        <translation>Ziel:</translation>
    </message>
    <message>
        <location filename="../app/workbench/new_run_dialog.cpp" line="182"/>
        <source>Name:</source>
        <translation>Name:</translation>
    </message>
    <message>
        <location filename="../app/workbench/new_run_dialog.cpp" line="183"/>
        <source>Student:</source>
        <translation>Schüler:</translation>
    </message>
    <message>
        <location filename="../app/workbench/new_run_dialog.cpp" line="185"/>
        <source>Layers:</source>
        <translation>Schichten:</translation>
    </message>
    <message>
        <location filename="../app/workbench/new_run_dialog.cpp" line="186"/>
        <source>Experts:</source>
        <translation>Experten:</translation>
    </message>
    <message>
        <location filename="../app/workbench/new_run_dialog.cpp" line="187"/>
        <source>Top-k:</source>
        <translation>Top-k:</translation>
    </message>
    <message>
        <location filename="../app/workbench/new_run_dialog.cpp" line="188"/>
        <source>Width:</source>
        <translation>Breite:</translation>
    </message>
    <message>
        <location filename="../app/workbench/new_run_dialog.cpp" line="189"/>
        <source>Router reads:</source>
        <translation>Router liest:</translation>
    </message>
    <message>
        <location filename="../app/workbench/new_run_dialog.cpp" line="190"/>
        <source>Dropout:</source>
        <translation>Dropout:</translation>
    </message>
    <message>
        <location filename="../app/workbench/new_run_dialog.cpp" line="191"/>
        <source>Piecewise bins:</source>
        <translation>Stückweise Intervalle:</translation>
    </message>
    <message>
        <location filename="../app/workbench/new_run_dialog.cpp" line="193"/>
        <source>Epochs:</source>
        <translation>Epochen:</translation>
    </message>
    <message>
        <location filename="../app/workbench/new_run_dialog.cpp" line="194"/>
        <source>Batch size:</source>
        <translation>Batchgröße:</translation>
    </message>
    <message>
        <location filename="../app/workbench/new_run_dialog.cpp" line="195"/>
        <source>Learning rate:</source>
        <translation>Lernrate:</translation>
    </message>
    <message>
        <location filename="../app/workbench/new_run_dialog.cpp" line="196"/>
        <source>Teacher:</source>
        <translation>Lehrer:</translation>
    </message>
    <message>
        <location filename="../app/workbench/new_run_dialog.cpp" line="197"/>
        <source>Teacher epochs:</source>
        <translation>Epochen des Lehrers:</translation>
    </message>
    <message>
        <location filename="../app/workbench/new_run_dialog.cpp" line="200"/>
        <source>patch</source>
        <translation>Ausschnitt</translation>
    </message>
    <message>
        <location filename="../app/workbench/new_run_dialog.cpp" line="202"/>
        <source>conv. stem</source>
        <translation>Faltungsstamm</translation>
    </message>
    <message>
        <location filename="../app/workbench/new_run_dialog.cpp" line="204"/>
        <source>Pixels as image:</source>
        <translation>Pixel als Bild:</translation>
    </message>
    <message>
        <location filename="../app/workbench/new_run_dialog.cpp" line="205"/>
        <source>Text column:</source>
        <translation>Textspalte:</translation>
    </message>
    <message>
        <location filename="../app/workbench/new_run_dialog.cpp" line="207"/>
        <source>shift ±</source>
        <translation>Verschiebung ±</translation>
    </message>
    <message>
        <location filename="../app/workbench/new_run_dialog.cpp" line="212"/>
        <source>Teacher augmentation:</source>
        <translation>Augmentierung des Lehrers:</translation>
    </message>
    <message>
        <location filename="../app/workbench/new_run_dialog.cpp" line="213"/>
        <source>Alpha:</source>
        <translation>Alpha:</translation>
    </message>
    <message>
        <location filename="../app/workbench/new_run_dialog.cpp" line="214"/>
        <source>Temperature:</source>
        <translation>Temperatur:</translation>
    </message>
    <message>
        <location filename="../app/workbench/new_run_dialog.cpp" line="215"/>
        <source>Load balance λ:</source>
        <translation>Lastausgleich λ:</translation>
    </message>
    <message>
        <location filename="../app/workbench/new_run_dialog.cpp" line="216"/>
        <source>Patience:</source>
        <translation>Geduld:</translation>
    </message>
    <message>
        <location filename="../app/workbench/new_run_dialog.cpp" line="217"/>
        <source>Numeric scaling:</source>
        <translation>Numerische Skalierung:</translation>
    </message>
    <message>
        <location filename="../app/workbench/new_run_dialog.cpp" line="218"/>
        <source>Tune first:</source>
        <translation>Zuerst abstimmen:</translation>
    </message>
    <message>
        <location filename="../app/workbench/new_run_dialog.cpp" line="219"/>
        <source>Device:</source>
        <translation>Gerät:</translation>
    </message>
    <message>
        <location filename="../app/workbench/new_run_dialog.cpp" line="220"/>
        <source>Seed:</source>
        <translation>Startwert:</translation>
    </message>
    <message>
        <location filename="../app/workbench/new_run_dialog.cpp" line="225"/>
        <source>Train</source>
        <translation>Trainieren</translation>
    </message>
    <message>
        <location filename="../app/workbench/new_run_dialog.cpp" line="260"/>
        <source>Open data</source>
        <translation>Daten öffnen</translation>
    </message>
    <message>
        <location filename="../app/workbench/new_run_dialog.cpp" line="260"/>
        <source>Data (*.csv *.arff *.gz *-ubyte);;All files (*)</source>
        <translation>Daten (*.csv *.arff *.gz *-ubyte);;Alle Dateien (*)</translation>
    </message>
    <message>
        <location filename="../app/workbench/new_run_dialog.cpp" line="269"/>
        <source>Loading %1…</source>
        <translation>Lade %1 …</translation>
    </message>
    <message>
        <location filename="../app/workbench/new_run_dialog.cpp" line="324"/>
        <source>%1 rows, %2 columns; the column names declare %3x%4 images</source>
        <translation>%1 Zeilen, %2 Spalten; die Spaltennamen geben %3x%4-Bilder an</translation>
    </message>
    <message>
        <location filename="../app/workbench/new_run_dialog.cpp" line="343"/>
        <source>An image of %1 has %2 pixels, but the data has %3 feature columns.</source>
        <translation>Ein Bild von %1 hat %2 Pixel, die Daten haben aber %3 Merkmalsspalten.</translation>
    </message>
    <message>
        <location filename="../app/workbench/new_run_dialog.cpp" line="345"/>
        <source>The patch size %1 does not divide the image size %2.</source>
        <translation>Die Ausschnittgröße %1 teilt die Bildgröße %2 nicht.</translation>
    </message>
    <message>
        <location filename="../app/workbench/new_run_dialog.cpp" line="347"/>
        <source>Pixels as image: %1</source>
        <translation>Pixel als Bild: %1</translation>
    </message>
    <message>
        <location filename="../app/workbench/new_run_dialog.cpp" line="357"/>
        <source>Tune first: %1</source>
        <translation>Zuerst abstimmen: %1</translation>
    </message>
    <message>
        <location filename="../app/workbench/new_run_dialog.cpp" line="230"/>
        <location filename="../app/workbench/new_run_dialog.cpp" line="236"/>
        <location filename="../app/workbench/new_run_dialog.cpp" line="241"/>
        <location filename="../app/workbench/new_run_dialog.cpp" line="288"/>
        <source>&lt;span style=&apos;color:#c62828&apos;&gt;%1&lt;/span&gt;</source>
        <translation>&lt;span style=&apos;color:#c62828&apos;&gt;%1&lt;/span&gt;</translation>
    </message>
    <message>
        <location filename="../app/workbench/new_run_dialog.cpp" line="83"/>
        <source>Train a transformer teacher or a random forest (classification; distilled from its out-of-bag probabilities) and distill it, or train the student alone</source>
        <translation>Einen Transformer-Lehrer oder einen Random Forest (Klassifikation; destilliert aus seinen Out-of-Bag-Wahrscheinlichkeiten) trainieren und destillieren oder den Schüler allein trainieren</translation>
    </message>
    <message>
        <location filename="../app/workbench/new_run_dialog.cpp" line="87"/>
        <source>What the routers read: the standardized input features, the layer&apos;s hidden state, or both</source>
        <translation>Was die Router lesen: die standardisierten Eingabemerkmale, den verborgenen Zustand der Schicht oder beides</translation>
    </message>
    <message>
        <location filename="../app/workbench/new_run_dialog.cpp" line="112"/>
        <source>MoE layers</source>
        <translation>MoE-Schichten</translation>
    </message>
    <message>
        <location filename="../app/workbench/new_run_dialog.cpp" line="159"/>
        <source>Search the learning rate, weight decay, dropout, batch size, experts, width, tree depth, scaling, piecewise bins and the teacher&apos;s settings first, by 3-fold cross-validation of the training rows alone (TPE sampler), for this many trials or this long; every trial is kept with the run</source>
        <translation>Zuerst Lernrate, Weight Decay, Dropout, Batchgröße, Experten, Breite, Baumtiefe, Skalierung, stückweise Intervalle und die Einstellungen des Lehrers suchen, per 3-facher Kreuzvalidierung allein auf den Trainingszeilen (TPE-Sampler), so viele Versuche oder so lange; jeder Versuch wird mit dem Lauf gespeichert</translation>
    </message>
    <message>
        <location filename="../app/workbench/new_run_dialog.cpp" line="307"/>
        <source>%1 rows, %2 columns</source>
        <translation>%1 Zeilen, %2 Spalten</translation>
    </message>
</context>
<context>
    <name>ndtmoe::workbench::PreferencesDialog</name>
    <message>
        <location filename="../app/workbench/preferences.cpp" line="68"/>
        <source>Preferences</source>
        <translation>Einstellungen</translation>
    </message>
    <message>
        <location filename="../app/workbench/preferences.cpp" line="69"/>
        <source>System language</source>
        <translation>Systemsprache</translation>
    </message>
    <message>
        <location filename="../app/workbench/preferences.cpp" line="72"/>
        <source>System</source>
        <translation>System</translation>
    </message>
    <message>
        <location filename="../app/workbench/preferences.cpp" line="73"/>
        <source>Light</source>
        <translation>Hell</translation>
    </message>
    <message>
        <location filename="../app/workbench/preferences.cpp" line="74"/>
        <source>Dark</source>
        <translation>Dunkel</translation>
    </message>
    <message>
        <location filename="../app/workbench/preferences.cpp" line="82"/>
        <source>Language:</source>
        <translation>Sprache:</translation>
    </message>
    <message>
        <location filename="../app/workbench/preferences.cpp" line="83"/>
        <source>The language changes at the next start.</source>
        <translation>Die Sprache wechselt beim nächsten Start.</translation>
    </message>
    <message>
        <location filename="../app/workbench/preferences.cpp" line="84"/>
        <source>Colours:</source>
        <translation>Farben:</translation>
    </message>
</context>
<context>
    <name>ndtmoe::workbench::TrainingJob</name>
    <message>
        <location filename="../app/workbench/training_job.cpp" line="65"/>
        <source>Tuning: scoring trial %1 again on a fresh split of the training rows, fold %2 of %3</source>
        <translation>Abstimmung: Versuch %1 erneut bewertet auf einer frischen Aufteilung der Trainingszeilen, Faltung %2 von %3</translation>
    </message>
    <message>
        <location filename="../app/workbench/training_job.cpp" line="68"/>
        <source>Tuning: trial %1, inner fold %2 of %3</source>
        <translation>Abstimmung: Versuch %1, innere Faltung %2 von %3</translation>
    </message>
    <message>
        <location filename="../app/workbench/training_job.cpp" line="69"/>
        <source>Tuning: trial %1, inner fold %2 of %3; best score so far %4</source>
        <translation>Abstimmung: Versuch %1, innere Faltung %2 von %3; bester Wert bisher %4</translation>
    </message>
    <message>
        <location filename="../app/workbench/training_job.cpp" line="75"/>
        <source>Cancelled while tuning, after %1 trials; nothing was saved.</source>
        <translation>Während der Abstimmung abgebrochen, nach %1 Versuchen; nichts wurde gespeichert.</translation>
    </message>
    <message>
        <location filename="../app/workbench/training_job.cpp" line="90"/>
        <source>Growing the forest teacher: %1 of %2 trees</source>
        <translation>Der Wald-Lehrer wächst: %1 von %2 Bäumen</translation>
    </message>
    <message>
        <location filename="../app/workbench/training_job.cpp" line="101"/>
        <source>Training the %1</source>
        <translation>Trainiere den %1</translation>
    </message>
    <message>
        <location filename="../app/workbench/training_job.cpp" line="110"/>
        <source>Cancelled; the run so far is saved in %1 (ndtmoe train --resume continues it).</source>
        <translation>Abgebrochen; der bisherige Lauf ist in %1 gespeichert (ndtmoe train --resume setzt ihn fort).</translation>
    </message>
    <message>
        <location filename="../app/workbench/training_job.cpp" line="111"/>
        <source>Cancelled before the student started; nothing was saved.</source>
        <translation>Abgebrochen, bevor der Schüler begann; nichts wurde gespeichert.</translation>
    </message>
    <message>
        <location filename="../app/workbench/training_job.cpp" line="124"/>
        <source>Tracing %1 of %2 samples into the store</source>
        <translation>Zeichne %1 von %2 Stichproben in den Speicher auf</translation>
    </message>
    <message>
        <location filename="../app/workbench/training_job.cpp" line="125"/>
        <source>Embeddings, %1: %2 of %3</source>
        <translation>Einbettungen, %1: %2 von %3</translation>
    </message>
    <message>
        <location filename="../app/workbench/training_job.cpp" line="132"/>
        <source>Cancelled while tracing; resume with ndtmoe trace --store %1 --resume %2</source>
        <translation>Beim Aufzeichnen abgebrochen; fortsetzen mit ndtmoe trace --store %1 --resume %2</translation>
    </message>
    <message>
        <location filename="../app/workbench/training_job.cpp" line="135"/>
        <source>Trained and traced run %1 into %2</source>
        <translation>Lauf %1 trainiert und in %2 aufgezeichnet</translation>
    </message>
    <message>
        <location filename="../app/workbench/training_job.cpp" line="139"/>
        <source>Training failed: %1</source>
        <translation>Training fehlgeschlagen: %1</translation>
    </message>
</context>
</TS>
