--
-- PostgreSQL database dump
--


-- Dumped from database version 15.18 (Debian 15.18-0+deb12u1)
-- Dumped by pg_dump version 15.18 (Debian 15.18-0+deb12u1)

SET statement_timeout = 0;
SET lock_timeout = 0;
SET idle_in_transaction_session_timeout = 0;
SET client_encoding = 'UTF8';
SET standard_conforming_strings = on;
SELECT pg_catalog.set_config('search_path', '', false);
SET check_function_bodies = false;
SET xmloption = content;
SET client_min_messages = warning;
SET row_security = off;

--
-- Name: {schema}; Type: SCHEMA; Schema: -; Owner: -
--

CREATE SCHEMA {schema};


--
-- Name: naskit_announce(); Type: FUNCTION; Schema: {schema}; Owner: -
--

CREATE FUNCTION {schema}.naskit_announce() RETURNS trigger
    LANGUAGE plpgsql
    AS $$ BEGIN IF NEW.state = 'queued' THEN PERFORM pg_notify('naskit_work', NEW.study); END IF; IF NEW.state IN ('done', 'failed') THEN PERFORM pg_notify('naskit_results', NEW.study); END IF; RETURN NULL; END $$;


SET default_tablespace = '';

SET default_table_access_method = heap;

--
-- Name: naskit_migrations; Type: TABLE; Schema: {schema}; Owner: -
--

CREATE TABLE {schema}.naskit_migrations (
    version integer NOT NULL,
    description text NOT NULL,
    applied double precision NOT NULL
);


--
-- Name: naskit_studies; Type: TABLE; Schema: {schema}; Owner: -
--

CREATE TABLE {schema}.naskit_studies (
    name text NOT NULL,
    space text NOT NULL,
    strategy text NOT NULL,
    seed integer NOT NULL,
    configuration text NOT NULL,
    created double precision NOT NULL,
    finished integer DEFAULT 0 NOT NULL,
    coordinator text,
    coordinator_until double precision
);


--
-- Name: naskit_trials; Type: TABLE; Schema: {schema}; Owner: -
--

CREATE TABLE {schema}.naskit_trials (
    study text NOT NULL,
    number integer NOT NULL,
    architecture text NOT NULL,
    fidelity text NOT NULL,
    state text NOT NULL,
    ask_event bigint NOT NULL,
    tell_event bigint,
    attempts integer DEFAULT 0 NOT NULL,
    worker text,
    lease_until double precision,
    metrics text,
    cost_seconds double precision,
    failed integer,
    reason text,
    wall_seconds double precision,
    finished_at double precision
);


--
-- Name: naskit_workers; Type: TABLE; Schema: {schema}; Owner: -
--

CREATE TABLE {schema}.naskit_workers (
    study text NOT NULL,
    worker text NOT NULL,
    state text NOT NULL,
    trial integer,
    completed integer DEFAULT 0 NOT NULL,
    rejected integer DEFAULT 0 NOT NULL,
    failed integer DEFAULT 0 NOT NULL,
    last_seen double precision NOT NULL
);


--
-- Data for Name: naskit_migrations; Type: TABLE DATA; Schema: {schema}; Owner: -
--

INSERT INTO {schema}.naskit_migrations VALUES (1, 'studies, trials and workers', 1796160751.614327);


--
-- Data for Name: naskit_studies; Type: TABLE DATA; Schema: {schema}; Owner: -
--

INSERT INTO {schema}.naskit_studies VALUES ('old-rea', 'nb201', 'rea', 3, 'benchmark=nb201, epochs=200, queries=12', 1796160751.63007, 1, NULL, NULL);


--
-- Data for Name: naskit_trials; Type: TABLE DATA; Schema: {schema}; Owner: -
--

INSERT INTO {schema}.naskit_trials VALUES ('old-rea', 0, '|skip_connect~0|+|nor_conv_3x3~0|avg_pool_3x3~1|+|none~0|nor_conv_1x1~1|none~2|', '{"Epochs":200,"DataFraction":1,"Resolution":null,"Channels":null,"CellsPerStage":null}', 'done', 0, 1, 1, 'vm:5464/0', NULL, '{"valid_acc":85.90666666748048,"test_acc":88.77333333333333,"params_mb":0.344346,"edgegpu_latency":2.8076601028442383,"edgegpu_energy":12.199283146858216,"raspi4_latency":4.896713719936088,"edgetpu_latency":0.390426676000061,"pixel3_latency":1.73685,"eyeriss_latency":4.874420000000002,"eyeriss_energy":0.9692472765,"eyeriss_arithmetic_intensity":14.069085832664296,"fpga_latency":3.31536,"fpga_energy":23.20752,"flops_m":48.419466}', 1363.145995, 0, NULL, 0.006616, 1796160752.265455);
INSERT INTO {schema}.naskit_trials VALUES ('old-rea', 1, '|skip_connect~0|+|avg_pool_3x3~0|skip_connect~1|+|skip_connect~0|nor_conv_1x1~1|avg_pool_3x3~2|', '{"Epochs":200,"DataFraction":1,"Resolution":null,"Channels":null,"CellsPerStage":null}', 'done', 2, 3, 1, 'vm:5464/0', NULL, '{"valid_acc":74.13066665608723,"test_acc":78.15666666666665,"params_mb":0.101306,"edgegpu_latency":4.929952621459961,"edgegpu_energy":21.55868281364441,"raspi4_latency":15.510519059971555,"edgetpu_latency":1.3228229749947786,"pixel3_latency":5.846,"eyeriss_latency":4.8744200000000015,"eyeriss_energy":0.9338578365,"eyeriss_arithmetic_intensity":3.499066335015484,"fpga_latency":2.46736,"fpga_energy":17.271520000000002,"flops_m":14.320266}', 1107.401995, 0, NULL, 9.01e-05, 1796160752.396627);
INSERT INTO {schema}.naskit_trials VALUES ('old-rea', 2, '|nor_conv_3x3~0|+|none~0|none~1|+|avg_pool_3x3~0|none~1|avg_pool_3x3~2|', '{"Epochs":200,"DataFraction":1,"Resolution":null,"Channels":null,"CellsPerStage":null}', 'done', 4, 5, 1, 'vm:5464/0', NULL, '{"valid_acc":71.87066666829428,"test_acc":75.94666666666667,"params_mb":0.316346,"edgegpu_latency":3.1023120880126958,"edgegpu_energy":13.737037925720216,"raspi4_latency":23.26727612002287,"edgetpu_latency":"NaN","pixel3_latency":10.1486,"eyeriss_latency":6.103220000000002,"eyeriss_energy":1.2158223485,"eyeriss_arithmetic_intensity":10.258998026736016,"fpga_latency":3.20976,"fpga_energy":22.46832,"flops_m":45.777546}', 1343.331595, 0, NULL, 3.68e-05, 1796160752.404949);
INSERT INTO {schema}.naskit_trials VALUES ('old-rea', 3, '|nor_conv_3x3~0|+|nor_conv_1x1~0|skip_connect~1|+|nor_conv_1x1~0|nor_conv_1x1~1|none~2|', '{"Epochs":200,"DataFraction":1,"Resolution":null,"Channels":null,"CellsPerStage":null}', 'done', 6, 7, 1, 'vm:5464/0', NULL, '{"valid_acc":89.4279999975586,"test_acc":92.56,"params_mb":0.400346,"edgegpu_latency":4.3210554122924805,"edgegpu_energy":19.35400719165802,"raspi4_latency":25.884937980008544,"edgetpu_latency":0.6923401029998786,"pixel3_latency":8.97985,"eyeriss_latency":3.8913800000000016,"eyeriss_energy":0.7539199325,"eyeriss_arithmetic_intensity":19.072037932451035,"fpga_latency":3.93616,"fpga_energy":27.55312,"flops_m":54.993546}', 1412.451595, 0, NULL, 3.67e-05, 1796160752.409812);
INSERT INTO {schema}.naskit_trials VALUES ('old-rea', 4, '|avg_pool_3x3~0|+|nor_conv_1x1~0|nor_conv_1x1~1|+|nor_conv_1x1~0|skip_connect~1|nor_conv_1x1~2|', '{"Epochs":200,"DataFraction":1,"Resolution":null,"Channels":null,"CellsPerStage":null}', 'done', 8, 9, 1, 'vm:5464/0', NULL, '{"valid_acc":87.29599999511719,"test_acc":89.94,"params_mb":0.185306,"edgegpu_latency":6.872577667236328,"edgegpu_energy":29.00571404457092,"raspi4_latency":14.689082600089025,"edgetpu_latency":1.1409187410026789,"pixel3_latency":5.71328,"eyeriss_latency":4.137140000000002,"eyeriss_energy":0.7497782205,"eyeriss_arithmetic_intensity":7.176039306364027,"fpga_latency":3.60336,"fpga_energy":25.22352,"flops_m":24.826506}', 1186.198795, 0, NULL, 3.59e-05, 1796160752.41313);
INSERT INTO {schema}.naskit_trials VALUES ('old-rea', 5, '|skip_connect~0|+|skip_connect~0|nor_conv_1x1~1|+|none~0|nor_conv_3x3~1|avg_pool_3x3~2|', '{"Epochs":200,"DataFraction":1,"Resolution":null,"Channels":null,"CellsPerStage":null}', 'done', 10, 11, 1, 'vm:5464/0', NULL, '{"valid_acc":87.14799998779297,"test_acc":91.19333333333333,"params_mb":0.344346,"edgegpu_latency":5.6059980392456055,"edgegpu_energy":25.04199324131012,"raspi4_latency":27.455883140064543,"edgetpu_latency":0.9826596359998804,"pixel3_latency":7.822,"eyeriss_latency":4.874420000000002,"eyeriss_energy":0.9692472765000002,"eyeriss_arithmetic_intensity":14.069085832664296,"fpga_latency":3.31536,"fpga_energy":23.20752,"flops_m":48.419466}', 1363.145995, 0, NULL, 2.9e-05, 1796160752.416648);
INSERT INTO {schema}.naskit_trials VALUES ('old-rea', 6, '|nor_conv_1x1~0|+|nor_conv_1x1~0|avg_pool_3x3~1|+|nor_conv_3x3~0|avg_pool_3x3~1|nor_conv_1x1~2|', '{"Epochs":200,"DataFraction":1,"Resolution":null,"Channels":null,"CellsPerStage":null}', 'done', 12, 13, 1, 'vm:5464/0', NULL, '{"valid_acc":88.86266666585287,"test_acc":92.08666666666666,"params_mb":0.40034600000000004,"edgegpu_latency":7.457923889160156,"edgegpu_energy":33.45624656677246,"raspi4_latency":30.15589086004184,"edgetpu_latency":1.523049015999277,"pixel3_latency":14.1622,"eyeriss_latency":6.840500000000004,"eyeriss_energy":1.3095655325,"eyeriss_arithmetic_intensity":10.196478337132277,"fpga_latency":4.75536,"fpga_energy":33.28752,"flops_m":57.574026}', 1431.8051950000001, 0, NULL, 2.13e-05, 1796160752.419333);
INSERT INTO {schema}.naskit_trials VALUES ('old-rea', 7, '|avg_pool_3x3~0|+|nor_conv_3x3~0|nor_conv_1x1~1|+|nor_conv_1x1~0|skip_connect~1|nor_conv_1x1~2|', '{"Epochs":200,"DataFraction":1,"Resolution":null,"Channels":null,"CellsPerStage":null}', 'done', 14, 15, 1, 'vm:5464/0', NULL, '{"valid_acc":88.9319999967448,"test_acc":92.12,"params_mb":0.40034600000000004,"edgegpu_latency":6.614136695861816,"edgegpu_energy":29.624718260765075,"raspi4_latency":25.461618119952615,"edgetpu_latency":1.2607966200012015,"pixel3_latency":10.5064,"eyeriss_latency":5.365940000000004,"eyeriss_energy":1.0317427325,"eyeriss_arithmetic_intensity":13.288519297119164,"fpga_latency":4.34576,"fpga_energy":30.420320000000004,"flops_m":56.283786}', 1422.128395, 0, NULL, 2.34e-05, 1796160752.422101);
INSERT INTO {schema}.naskit_trials VALUES ('old-rea', 8, '|nor_conv_1x1~0|+|nor_conv_3x3~0|nor_conv_3x3~1|+|none~0|avg_pool_3x3~1|none~2|', '{"Epochs":200,"DataFraction":1,"Resolution":null,"Channels":null,"CellsPerStage":null}', 'done', 16, 17, 1, 'vm:5464/0', NULL, '{"valid_acc":81.4999999983724,"test_acc":86.12333333333333,"params_mb":0.587386,"edgegpu_latency":3.0586862564086914,"edgegpu_energy":13.427632665634157,"raspi4_latency":7.569373000005726,"edgetpu_latency":"NaN","pixel3_latency":3.28488,"eyeriss_latency":6.348980000000003,"eyeriss_energy":1.2824595165,"eyeriss_arithmetic_intensity":17.923772231415303,"fpga_latency":4.57296,"fpga_energy":32.01072,"flops_m":83.808906}', 1628.566795, 0, NULL, 1.9e-05, 1796160752.426572);
INSERT INTO {schema}.naskit_trials VALUES ('old-rea', 9, '|nor_conv_3x3~0|+|nor_conv_3x3~0|none~1|+|nor_conv_3x3~0|skip_connect~1|none~2|', '{"Epochs":200,"DataFraction":1,"Resolution":null,"Channels":null,"CellsPerStage":null}', 'done', 18, 19, 1, 'vm:5464/0', NULL, '{"valid_acc":88.70133334065754,"test_acc":92.12333333333333,"params_mb":0.802426,"edgegpu_latency":4.205560684204102,"edgegpu_energy":19.4801570892334,"raspi4_latency":51.49209659997723,"edgetpu_latency":"NaN","pixel3_latency":21.5352,"eyeriss_latency":6.103220000000002,"eyeriss_energy":1.2866012285,"eyeriss_arithmetic_intensity":27.07805086002373,"fpga_latency":4.90576,"fpga_energy":34.34032,"flops_m":113.975946}', 1854.819595, 0, NULL, 2.75e-05, 1796160752.43186);
INSERT INTO {schema}.naskit_trials VALUES ('old-rea', 10, '|avg_pool_3x3~0|+|nor_conv_3x3~0|nor_conv_1x1~1|+|nor_conv_1x1~0|skip_connect~1|none~2|', '{"Epochs":200,"DataFraction":1,"Resolution":null,"Channels":null,"CellsPerStage":null}', 'done', 20, 21, 1, 'vm:5464/0', NULL, '{"valid_acc":85.39200000732421,"test_acc":88.44,"params_mb":0.372346,"edgegpu_latency":3.6855316162109375,"edgegpu_energy":15.943609771728516,"raspi4_latency":7.823059779912,"edgetpu_latency":0.7356256880011642,"pixel3_latency":3.56691,"eyeriss_latency":5.120180000000002,"eyeriss_energy":1.0004950045,"eyeriss_arithmetic_intensity":13.63768779714061,"fpga_latency":3.83056,"fpga_energy":26.813920000000003,"flops_m":52.351626}', 1392.637195, 0, NULL, 0.0001085, 1796160752.438329);
INSERT INTO {schema}.naskit_trials VALUES ('old-rea', 11, '|nor_conv_3x3~0|+|nor_conv_1x1~0|none~1|+|nor_conv_1x1~0|nor_conv_1x1~1|none~2|', '{"Epochs":200,"DataFraction":1,"Resolution":null,"Channels":null,"CellsPerStage":null}', 'done', 22, 23, 1, 'vm:5464/0', NULL, '{"valid_acc":89.76999998779297,"test_acc":92.74000000000001,"params_mb":0.400346,"edgegpu_latency":4.24771785736084,"edgegpu_energy":19.18694156169892,"raspi4_latency":28.86242225999013,"edgetpu_latency":"NaN","pixel3_latency":10.7269,"eyeriss_latency":3.8913800000000016,"eyeriss_energy":0.7539199325,"eyeriss_arithmetic_intensity":19.072037932451035,"fpga_latency":3.93616,"fpga_energy":27.55312,"flops_m":54.993546}', 1412.451595, 0, NULL, 4.99e-05, 1796160752.444906);


--
-- Data for Name: naskit_workers; Type: TABLE DATA; Schema: {schema}; Owner: -
--

INSERT INTO {schema}.naskit_workers VALUES ('old-rea', 'vm:5464/0', 'exited', NULL, 0, 0, 0, 1796160752.460893);


--
-- Name: naskit_migrations naskit_migrations_pkey; Type: CONSTRAINT; Schema: {schema}; Owner: -
--

ALTER TABLE ONLY {schema}.naskit_migrations
    ADD CONSTRAINT naskit_migrations_pkey PRIMARY KEY (version);


--
-- Name: naskit_studies naskit_studies_pkey; Type: CONSTRAINT; Schema: {schema}; Owner: -
--

ALTER TABLE ONLY {schema}.naskit_studies
    ADD CONSTRAINT naskit_studies_pkey PRIMARY KEY (name);


--
-- Name: naskit_trials naskit_trials_pkey; Type: CONSTRAINT; Schema: {schema}; Owner: -
--

ALTER TABLE ONLY {schema}.naskit_trials
    ADD CONSTRAINT naskit_trials_pkey PRIMARY KEY (study, number);


--
-- Name: naskit_workers naskit_workers_pkey; Type: CONSTRAINT; Schema: {schema}; Owner: -
--

ALTER TABLE ONLY {schema}.naskit_workers
    ADD CONSTRAINT naskit_workers_pkey PRIMARY KEY (study, worker);


--
-- Name: naskit_trials_open; Type: INDEX; Schema: {schema}; Owner: -
--

CREATE INDEX naskit_trials_open ON {schema}.naskit_trials USING btree (study, state, number);


--
-- Name: naskit_trials naskit_trials_announce; Type: TRIGGER; Schema: {schema}; Owner: -
--

CREATE TRIGGER naskit_trials_announce AFTER INSERT OR UPDATE OF state ON {schema}.naskit_trials FOR EACH ROW EXECUTE FUNCTION {schema}.naskit_announce();


--
-- Name: naskit_trials naskit_trials_study_fkey; Type: FK CONSTRAINT; Schema: {schema}; Owner: -
--

ALTER TABLE ONLY {schema}.naskit_trials
    ADD CONSTRAINT naskit_trials_study_fkey FOREIGN KEY (study) REFERENCES {schema}.naskit_studies(name);


--
-- PostgreSQL database dump complete
--


