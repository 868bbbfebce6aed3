"""Protocols, analyses and data files, compared with a real robot-server's answers."""

from __future__ import annotations

import time
import uuid
from pathlib import Path

import httpx
import pytest

from protocol_http import (
    BAD_NO_TIP,
    TINY,
    VOLATILE,
    WITH_CSV,
    WITH_CUSTOM_LABWARE,
    WITH_PARAMETERS,
    analysed,
    as_recorded_by_8_2,
    custom_labware_definition,
    recorded,
    slow,
    unique,
    upload,
    upload_csv,
    wait_for_analysis,
    without,
)


def error_of(response: httpx.Response) -> dict:
    [error] = response.json()["errors"]
    return error


# --- upload --------------------------------------------------------------------------------


def test_an_upload_looks_like_the_robots(robot: httpx.Client) -> None:
    response = robot.post("/protocols", files=[("files", ("tiny.py", unique(TINY)))])
    assert response.status_code == 201
    assert "Opentrons-Version" not in response.headers
    protocol = response.json()["data"]
    expected = recorded("post_protocols_tiny")["data"]
    assert list(protocol) == list(expected)
    assert without(protocol, VOLATILE) == without(expected, VOLATILE)
    assert protocol["analysisSummaries"][0]["status"] == "pending"


def test_a_completed_analysis_looks_like_the_robots(robot: httpx.Client) -> None:
    protocol = upload(robot, {"tiny.py": unique(TINY)})
    analysis_id = protocol["analysisSummaries"][0]["id"]
    analysis = wait_for_analysis(robot, protocol["id"], analysis_id)
    expected = recorded("get_protocol_tiny_analysis")["data"]
    assert analysis["id"] == analysis_id
    assert list(analysis) == list(expected)
    assert as_recorded_by_8_2(without(analysis, VOLATILE)) == without(expected, VOLATILE)
    # The ids inside the commands tie together as on a robot.
    labware_ids = {lw["id"] for lw in analysis["labware"]}
    assert {
        c["params"]["labwareId"] for c in analysis["commands"] if "labwareId" in c["params"]
    } <= labware_ids

    response = robot.get(f"/protocols/{protocol['id']}")
    assert response.status_code == 200
    expected_protocol = recorded("get_protocol_tiny")
    assert list(response.json()) == list(expected_protocol)
    assert without(response.json(), VOLATILE) == without(expected_protocol, VOLATILE)


def test_identical_files_give_back_the_same_protocol(robot: httpx.Client) -> None:
    text = unique(TINY)
    first = analysed(robot, {"tiny.py": text})
    again = upload(robot, {"tiny.py": text}, expect=200, key="another key")
    assert again["id"] == first["id"]
    # Same parameter values (none): no new analysis, and the key of the first upload stays.
    assert again["analysisSummaries"] == first["analysisSummaries"]
    assert "key" not in again
    # Another file name is another protocol.
    assert upload(robot, {"tiny2.py": text})["id"] != first["id"]


def test_the_key_and_kind_are_kept(robot: httpx.Client) -> None:
    protocol = upload(robot, {"keyed.py": unique(TINY)}, key="client-key-1")
    assert protocol["key"] == "client-key-1"
    assert protocol["protocolKind"] == "standard"
    quick = upload(robot, {"quick.py": unique(TINY)}, protocolKind="quick-transfer")
    assert quick["protocolKind"] == "quick-transfer"
    kinds = {
        p["id"]: p["protocolKind"]
        for p in robot.get("/protocols", params={"protocolKind": "quick-transfer"}).json()["data"]
    }
    assert kinds.get(quick["id"]) == "quick-transfer"
    assert protocol["id"] not in kinds


@pytest.mark.slow  # over 1 s in CI: not in the fast tier
def test_an_upload_while_its_analysis_is_pending_is_refused(robot: httpx.Client) -> None:
    text = slow()
    protocol = upload(robot, {"slow.py": text})
    response = robot.post("/protocols", files=[("files", ("slow.py", text))])
    assert response.status_code == 503
    pending_id = protocol["analysisSummaries"][0]["id"]
    assert error_of(response) == {
        "id": "LastAnalysisPending",
        "title": "Last Analysis Still Pending.",
        "detail": f'Analysis "{pending_id}" is still pending.',
        "errorCode": "4000",
    }
    wait_for_analysis(robot, protocol["id"], pending_id)
    assert upload(robot, {"slow.py": text}, expect=200)["id"] == protocol["id"]


@pytest.mark.parametrize(
    ("name", "text", "detail"),
    [
        (
            "syntax.py",
            "def run(ctx:\n    pass\n",
            "'(' was never closed (syntax.py, line 1)",
        ),
        (
            "no_run.py",
            'metadata = {"apiLevel": "2.20"}\n',
            "No function 'run(ctx)' defined",
        ),
        (
            "future.py",
            'metadata = {"apiLevel": "2.99"}\n\ndef run(ctx):\n    pass\n',
            "API version 2.99 is not supported by this robot software."
            " Please either reduce your requested API version or update your robot.",
        ),
    ],
)
def test_invalid_protocol_files_are_refused(
    robot: httpx.Client, name: str, text: str, detail: str
) -> None:
    response = robot.post("/protocols", files=[("files", (name, text))])
    assert response.status_code == 422
    assert error_of(response) == {
        "id": "ProtocolFilesInvalid",
        "title": "Protocol File(s) Invalid",
        "detail": detail,
        "errorCode": "4000",
    }


def test_a_file_that_is_no_protocol_is_refused(robot: httpx.Client) -> None:
    response = robot.post("/protocols", files=[("files", ("notes.txt", "hello"))])
    assert response.status_code == 422
    assert error_of(response)["id"] == "ProtocolFilesInvalid"
    assert '"notes.txt" is not a valid protocol file.' in error_of(response)["detail"]


def test_a_flex_protocol_is_refused(robot: httpx.Client) -> None:
    text = 'requirements = {"robotType": "Flex", "apiLevel": "2.20"}\n\ndef run(ctx):\n    pass\n'
    response = robot.post("/protocols", files=[("files", ("flex.py", text))])
    assert response.status_code == 422
    assert error_of(response) == {
        "id": "ProtocolRobotTypeMismatch",
        "title": "Protocol For Different Robot Type",
        "detail": "This protocol is for Flex robots. It can't be analyzed or run on this robot,"
        " which is an OT-2.",
        "errorCode": "4000",
    }


def test_a_request_without_files_is_invalid(robot: httpx.Client) -> None:
    response = robot.post("/protocols", data={"key": "k"})
    assert response.status_code == 422
    error = error_of(response)
    assert error["id"] == "InvalidRequest"
    assert error["source"] == {"pointer": "/files"}


def test_malformed_parameter_json_is_a_422_not_a_crash(robot: httpx.Client) -> None:
    response = robot.post(
        "/protocols",
        files=[("files", ("p.py", unique(TINY)))],
        data={"runTimeParameterValues": "{not json"},
    )
    assert response.status_code == 422
    assert error_of(response)["source"] == {"pointer": "/runTimeParameterValues"}


def test_an_unknown_data_file_id_is_refused(robot: httpx.Client) -> None:
    response = robot.post(
        "/protocols",
        files=[("files", ("csv.py", unique(WITH_CSV)))],
        data={"runTimeParameterFiles": '{"samples": "no-such-file"}'},
    )
    assert response.status_code == 422
    assert error_of(response) == {
        "id": "FileIdNotFound",
        "title": "Specified file id not found on the robot",
        "detail": "Error 4000 GENERAL_ERROR (FileIdNotFoundError):"
        " Data file no-such-file was not found.",
        "errorCode": "4000",
    }


# --- read and delete -----------------------------------------------------------------------


def test_protocols_are_listed_oldest_first(robot: httpx.Client) -> None:
    first = upload(robot, {"first.py": unique(TINY)})["id"]
    second = upload(robot, {"second.py": unique(TINY)})["id"]
    listing = robot.get("/protocols").json()
    ids = [p["id"] for p in listing["data"]]
    assert ids.index(first) < ids.index(second)
    assert listing["meta"] == {"cursor": 0, "totalLength": len(ids)}
    assert "links" not in listing
    id_listing = robot.get("/protocols/ids").json()
    assert id_listing == {"data": ids, "meta": {"cursor": 0, "totalLength": len(ids)}}


def test_an_unknown_protocol_is_a_404(robot: httpx.Client) -> None:
    for response in (robot.get("/protocols/nope"), robot.delete("/protocols/nope")):
        assert response.status_code == 404
        assert error_of(response) == {
            "id": "ProtocolNotFound",
            "title": "Protocol Not Found",
            "detail": "'Protocol nope was not found.'",
            "errorCode": "4000",
        }
    for path in (
        "/protocols/nope/analyses",
        "/protocols/nope/analyses/a",
        "/protocols/nope/dataFiles",
    ):
        response = robot.get(path)
        assert response.status_code == 404
        assert error_of(response)["detail"] == "Protocol nope not found"
    assert robot.post("/protocols/nope/analyses").status_code == 404


def test_a_deleted_protocol_is_gone(robot: httpx.Client) -> None:
    protocol = analysed(robot, {"gone.py": unique(TINY)})
    response = robot.delete(f"/protocols/{protocol['id']}")
    assert response.status_code == 200
    assert response.json() == {}
    assert robot.get(f"/protocols/{protocol['id']}").status_code == 404
    assert protocol["id"] not in robot.get("/protocols/ids").json()["data"]


@pytest.mark.slow  # over 1 s in CI: not in the fast tier
def test_only_five_unused_protocols_are_kept(fresh_robot: httpx.Client) -> None:
    ids = [upload(fresh_robot, {f"p{n}.py": unique(TINY)})["id"] for n in range(6)]
    assert fresh_robot.get("/protocols/ids").json()["data"] == ids[1:]
    assert fresh_robot.get(f"/protocols/{ids[0]}").status_code == 404


# --- analyses --------------------------------------------------------------------------------


def test_a_failing_protocol_analyses_not_ok_with_the_engines_error(robot: httpx.Client) -> None:
    protocol = upload(robot, {"bad_no_tip.py": unique(BAD_NO_TIP)})
    expected_upload = recorded("post_protocols_bad_no_tip")["data"]
    assert without(protocol, VOLATILE) == without(expected_upload, VOLATILE)
    analysis = wait_for_analysis(robot, protocol["id"])
    expected = recorded("get_protocol_bad_no_tip_analysis")["data"]
    assert analysis["result"] == "not-ok"
    assert list(analysis) == list(expected)
    assert as_recorded_by_8_2(without(analysis, VOLATILE)) == without(expected, VOLATILE)


def test_analysis_routes(robot: httpx.Client) -> None:
    protocol = analysed(robot, {"routes.py": unique(TINY)})
    [summary] = protocol["analysisSummaries"]
    assert summary == {"id": summary["id"], "status": "completed"}
    listing = robot.get(f"/protocols/{protocol['id']}/analyses").json()
    one = robot.get(f"/protocols/{protocol['id']}/analyses/{summary['id']}").json()
    assert listing["data"] == [one["data"]]
    assert listing["meta"] == {"cursor": 0, "totalLength": 1}

    document = robot.get(f"/protocols/{protocol['id']}/analyses/{summary['id']}/asDocument")
    assert document.status_code == 200
    assert document.headers["content-type"] == "application/json"
    assert document.json() == one["data"]

    missing = robot.get(f"/protocols/{protocol['id']}/analyses/nope")
    assert missing.status_code == 404
    assert error_of(missing) == {
        "id": "AnalysisNotFound",
        "title": "Protocol Analysis Not Found",
        "detail": 'Analysis "nope" not found.',
        "errorCode": "4000",
    }
    assert robot.get(f"/protocols/{protocol['id']}/analyses/nope/asDocument").status_code == 404


@pytest.mark.slow  # over 1 s in CI: not in the fast tier
def test_a_pending_analysis_reads_as_pending_but_is_no_document_yet(robot: httpx.Client) -> None:
    protocol = upload(robot, {"pending.py": slow()})
    analysis_id = protocol["analysisSummaries"][0]["id"]
    pending = robot.get(f"/protocols/{protocol['id']}/analyses/{analysis_id}").json()["data"]
    assert pending == {"id": analysis_id, "status": "pending", "runTimeParameters": []}
    document = robot.get(f"/protocols/{protocol['id']}/analyses/{analysis_id}/asDocument")
    assert document.status_code == 404
    assert error_of(document)["id"] == "AnalysisNotFound"
    reanalysis = robot.post(f"/protocols/{protocol['id']}/analyses", json={"data": {}})
    assert reanalysis.status_code == 503
    assert error_of(reanalysis)["id"] == "LastAnalysisPending"
    wait_for_analysis(robot, protocol["id"], analysis_id)


def test_reanalysis_only_when_asked_or_when_values_change(robot: httpx.Client) -> None:
    protocol = analysed(robot, {"params.py": unique(WITH_PARAMETERS)})
    path = f"/protocols/{protocol['id']}/analyses"
    same = robot.post(path)
    assert same.status_code == 200
    assert same.json()["data"] == protocol["analysisSummaries"]
    assert same.json()["meta"] == {"cursor": 0, "totalLength": 1}

    forced = robot.post(path, json={"data": {"forceReAnalyze": True}})
    assert forced.status_code == 201
    assert [s["status"] for s in forced.json()["data"]] == ["completed", "pending"]
    wait_for_analysis(robot, protocol["id"], forced.json()["data"][-1]["id"])

    changed = robot.post(path, json={"data": {"runTimeParameterValues": {"volume": 120}}})
    assert changed.status_code == 201
    new = wait_for_analysis(robot, protocol["id"], changed.json()["data"][-1]["id"])
    assert new["result"] == "ok"
    volume = next(p for p in new["runTimeParameters"] if p["variableName"] == "volume")
    assert volume["value"] == 120
    assert volume["default"] == 50
    assert [c["params"].get("message") for c in new["commands"][1:]] == ["volume 120 mix False"]
    again = robot.post(path, json={"data": {"runTimeParameterValues": {"volume": 120}}})
    assert again.status_code == 200


def test_parameter_values_sent_with_the_upload(robot: httpx.Client) -> None:
    text = unique(WITH_PARAMETERS)
    protocol = upload(robot, {"rtp.py": text}, runTimeParameterValues={"volume": 75, "mix": True})
    [summary] = protocol["analysisSummaries"]
    assert summary["status"] == "pending"
    assert {p["variableName"]: p["value"] for p in summary["runTimeParameters"]} == {
        "volume": 75,
        "mix": True,
    }
    analysis = wait_for_analysis(robot, protocol["id"], summary["id"])
    assert analysis["commands"][-1]["params"]["message"] == "volume 75 mix True"
    # The same files with the same values: nothing new; with other values: a new analysis.
    upload(robot, {"rtp.py": text}, expect=200, runTimeParameterValues={"volume": 75, "mix": True})
    other = upload(robot, {"rtp.py": text}, expect=200, runTimeParameterValues={"volume": 80})
    assert [s["status"] for s in other["analysisSummaries"]] == ["completed", "pending"]
    wait_for_analysis(robot, protocol["id"])


def test_a_value_out_of_range_fails_the_analysis_at_once(robot: httpx.Client) -> None:
    protocol = upload(
        robot, {"range.py": unique(WITH_PARAMETERS)}, runTimeParameterValues={"volume": 500}
    )
    [summary] = protocol["analysisSummaries"]
    assert summary == {"id": summary["id"], "status": "completed"}
    analysis = wait_for_analysis(robot, protocol["id"], summary["id"])
    assert analysis["result"] == "not-ok"
    assert analysis["commands"] == []
    [error] = analysis["errors"]
    assert error["id"] == "internal-error"
    assert error["errorType"] == "PythonException"  # robot-server wraps it the same way
    assert error["detail"] == (
        "opentrons.protocols.parameters.exceptions.ParameterValueError:"
        " Parameter must be between 10 and 200 inclusive."
    )
    # The parameters it reports are the defaults.
    assert {p["variableName"]: p["value"] for p in analysis["runTimeParameters"]} == {
        "volume": 50,
        "mix": False,
    }


def test_custom_labware_uploaded_with_the_protocol(robot: httpx.Client) -> None:
    protocol = analysed(
        robot,
        {
            "custom.py": unique(WITH_CUSTOM_LABWARE),
            "otlink_test_plate.json": custom_labware_definition(),
        },
    )
    assert sorted((f["name"], f["role"]) for f in protocol["files"]) == [
        ("custom.py", "main"),
        ("otlink_test_plate.json", "labware"),
    ]
    analysis = wait_for_analysis(robot, protocol["id"])
    assert analysis["result"] == "ok", analysis["errors"]
    assert "custom_beta/otlink_test_plate/1" in [lw["definitionUri"] for lw in analysis["labware"]]


def test_custom_labware_is_needed(robot: httpx.Client) -> None:
    protocol = analysed(robot, {"no_labware.py": unique(WITH_CUSTOM_LABWARE)})
    analysis = wait_for_analysis(robot, protocol["id"])
    assert analysis["result"] == "not-ok"
    assert "otlink_test_plate" in analysis["errors"][0]["detail"]


# --- CSV data files ----------------------------------------------------------------------


def test_a_csv_parameter_without_a_file_needs_a_value(robot: httpx.Client) -> None:
    protocol = analysed(robot, {"csv_missing.py": unique(WITH_CSV)})
    analysis = wait_for_analysis(robot, protocol["id"])
    assert analysis["result"] == "parameter-value-required"
    assert analysis["runTimeParameters"][0]["type"] == "csv_file"
    assert "file" not in analysis["runTimeParameters"][0]


def test_a_csv_parameter_reads_an_uploaded_file(robot: httpx.Client) -> None:
    name = f"samples-{uuid.uuid4().hex[:8]}.csv"
    file_id = upload_csv(robot, name, "sample,volume\nS1,20\nS2,30\n")
    protocol = upload(
        robot, {"csv.py": unique(WITH_CSV)}, runTimeParameterFiles={"samples": file_id}
    )
    analysis = wait_for_analysis(robot, protocol["id"])
    assert analysis["result"] == "ok", analysis["errors"]
    [parameter] = analysis["runTimeParameters"]
    assert parameter["file"] == {"id": file_id, "name": name}
    assert analysis["commands"][-1]["params"]["message"] == "2 samples, first S1"

    files = robot.get(f"/protocols/{protocol['id']}/dataFiles").json()
    assert [f["id"] for f in files["data"]] == [file_id]
    in_use = robot.delete(f"/dataFiles/{file_id}")
    assert in_use.status_code == 409
    assert error_of(in_use)["id"] == "DataFileInUse"
    assert error_of(in_use)["title"] == "Data file is in use"
    assert f"analyses: {{'{analysis['id']}'}}" in error_of(in_use)["detail"]


def test_data_file_routes(robot: httpx.Client) -> None:
    name = f"plain-{uuid.uuid4().hex[:8]}.csv"
    contents = f"a,b\n1,{uuid.uuid4()}\n"
    response = robot.post("/dataFiles", files={"file": (name, contents.encode())})
    assert response.status_code == 201
    data_file = response.json()["data"]
    assert list(data_file) == ["id", "name", "createdAt"]
    assert data_file["name"] == name
    assert "Opentrons-Version" not in response.headers

    same = robot.post("/dataFiles", files={"file": (name, contents.encode())})
    assert same.status_code == 200
    assert same.json()["data"] == data_file
    assert robot.get(f"/dataFiles/{data_file['id']}").json() == {"data": data_file}
    listing = robot.get("/dataFiles").json()
    assert data_file in listing["data"]
    assert listing["meta"]["totalLength"] == len(listing["data"])
    download = robot.get(f"/dataFiles/{data_file['id']}/download")
    assert download.status_code == 200
    assert download.text == contents
    assert download.headers["content-type"].startswith("text/plain")

    assert robot.delete(f"/dataFiles/{data_file['id']}").json() == {}
    for response in (
        robot.get(f"/dataFiles/{data_file['id']}"),
        robot.get(f"/dataFiles/{data_file['id']}/download"),
        robot.delete(f"/dataFiles/{data_file['id']}"),
    ):
        assert response.status_code == 404
        assert error_of(response)["id"] == "FileIdNotFound"


def test_data_file_upload_errors(robot: httpx.Client) -> None:
    not_csv = robot.post("/dataFiles", files={"file": ("data.txt", b"x")})
    assert not_csv.status_code == 422
    assert error_of(not_csv)["id"] == "UnexpectedFileFormat"
    assert error_of(not_csv)["detail"] == "Only CSV file format is accepted."
    nothing = robot.post("/dataFiles", data={"other": "x"})
    assert nothing.status_code == 422
    assert error_of(nothing)["id"] == "NoDataFileSourceProvided"
    both = robot.post("/dataFiles", files={"file": ("a.csv", b"x")}, data={"filePath": "/a.csv"})
    assert both.status_code == 422
    assert error_of(both)["id"] == "MultipleDataFileSources"
    missing = robot.post("/dataFiles", data={"filePath": f"/no/such/{uuid.uuid4()}.csv"})
    assert missing.status_code == 404
    assert error_of(missing)["id"] == "FileNotFound"


def test_a_data_file_from_a_path_on_the_robot(robot: httpx.Client, tmp_path: Path) -> None:

    path = tmp_path / "on_robot.csv"
    path.write_text(f"x\n{time.time()}\n")
    response = robot.post("/dataFiles", data={"filePath": str(path)})
    assert response.status_code == 201
    assert response.json()["data"]["name"] == "on_robot.csv"
