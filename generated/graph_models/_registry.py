"""Qualified type name -> (module, class) for every type of the package."""

TYPES: dict[str, tuple[str, str]] = {
    "microsoft.graph.asyncJobStatus": ("async_job_status", "AsyncJobStatus"),
    "microsoft.graph.asyncJobStatusStatus": (
        "async_job_status_status",
        "AsyncJobStatusStatus",
    ),
    "microsoft.graph.depot": ("depot", "Depot"),
    "microsoft.graph.depotAccessLevel": ("depot_access_level", "DepotAccessLevel"),
    "microsoft.graph.depotLocation": ("depot_location", "DepotLocation"),
    "microsoft.graph.entity": ("entity", "Entity"),
    "microsoft.graph.fleet": ("fleet", "Fleet"),
    "microsoft.graph.fleetRecords.routePoint": (
        "fleet_records.route_point",
        "RoutePoint",
    ),
    "microsoft.graph.fleetRecords.telemetrySource": (
        "fleet_records.telemetry_source",
        "TelemetrySource",
    ),
    "microsoft.graph.fleetRecords.tripRecord": (
        "fleet_records.trip_record",
        "TripRecord",
    ),
    "microsoft.graph.fleetRecords.tripType": ("fleet_records.trip_type", "TripType"),
    "microsoft.graph.fleetStatus": ("fleet_status", "FleetStatus"),
    "microsoft.graph.fuelType": ("fuel_type", "FuelType"),
    "microsoft.graph.maintenancePriority": (
        "maintenance_priority",
        "MaintenancePriority",
    ),
    "microsoft.graph.serviceWindow": ("service_window", "ServiceWindow"),
    "microsoft.graph.truck": ("truck", "Truck"),
    "microsoft.graph.vehicle": ("vehicle", "Vehicle"),
    "microsoft.graph.vehicleClass": ("vehicle_class", "VehicleClass"),
    "microsoft.graph.vehicleDocument": ("vehicle_document", "VehicleDocument"),
    "microsoft.graph.vehicleFeatures": ("vehicle_features", "VehicleFeatures"),
}
