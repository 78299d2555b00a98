/*
 * The physics benchmark scenes written directly against ODE's C API, so `stage bench physics`
 * can measure Stage.Physics against plain ODE in the same run. Every setting mirrors
 * Stage.Physics' defaults (src/Stage.Physics/PhysicsWorldSettings.cs and PhysicsWorld.cs):
 * quick-step 20 iterations, SOR 1.3, ERP 0.2, CFM 1e-5, max correcting velocity 10 m/s, surface
 * layer 1 mm, auto-disable off, a hash space with levels -3..10, up to 8 contacts per pair with
 * dContactApprox1 and mu = sqrt(mu1 * mu2), a 1/120 s step, dRandSetSeed(0) at the start. The
 * scene is built in the same order, so the two simulations are the same bit for bit; the
 * checksum printed at the end (sum of body heights) proves it.
 *
 * Usage: ode-scenes pyramid <boxes> <warmup steps> <measured steps>
 *        ode-scenes stage 300 <warmup steps> <measured steps>
 * Prints: scene=NAME boxes=N ms_per_step=X checksum=Y
 *
 * "stage" is a scattered stage world: a 40 m x 40 m terrain (heightfield, 41 x 41 samples) with
 * 300 spheres, boxes and capsules dropped onto it and a stack of 10 boxes.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <ode/ode.h>

#define MAX_CONTACTS 8

static dWorldID world;
static dJointGroupID contacts;

static double material_friction = 0.6;

static void near_callback(void *data, dGeomID o1, dGeomID o2)
{
    (void)data;
    dBodyID b1 = dGeomGetBody(o1), b2 = dGeomGetBody(o2);
    if (!b1 && !b2) return;
    if (b1 == b2) return;
    dContact contact[MAX_CONTACTS];
    memset(contact, 0, sizeof contact);
    int n = dCollide(o1, o2, MAX_CONTACTS, &contact[0].geom, sizeof(dContact));
    for (int i = 0; i < n; i++) {
        contact[i].surface.mode = dContactApprox1;
        contact[i].surface.mu = sqrt(material_friction * material_friction);
        dJointID j = dJointCreateContact(world, contacts, &contact[i]);
        dJointAttach(j, b1, b2);
    }
}

static dBodyID make_body(dSpaceID space, int kind, double x, double y, double z, int id, int geom_id)
{
    dMass mass;
    dGeomID geom;
    if (kind == 0) dMassSetSphereTotal(&mass, 1.0, 0.25);
    else if (kind == 1) dMassSetBoxTotal(&mass, 1.0, 0.5, 0.5, 0.5);
    else dMassSetCapsuleTotal(&mass, 1.0, 3, 0.2, 0.5);
    dBodyID body = dBodyCreate(world);
    dBodySetData(body, (void *)(size_t)(id + 1));
    dBodySetAutoDisableFlag(body, 0);
    dBodySetMass(body, &mass);
    dBodySetPosition(body, x, y, z);
    dQuaternion q = { 1, 0, 0, 0 };
    dBodySetQuaternion(body, q);
    if (kind == 0) geom = dCreateSphere(space, 0.25);
    else if (kind == 1) geom = dCreateBox(space, 0.5, 0.5, 0.5);
    else geom = dCreateCapsule(space, 0.2, 0.5);
    dGeomSetData(geom, (void *)(size_t)(geom_id + 1));
    dGeomSetBody(geom, body);
    return body;
}

/* The scattered stage world; mirrors PhysicsBenchScenes.StageWorld in src/Stage.Cli/Bench. */
static int build_stage(dSpaceID space, dBodyID *bodies, int count)
{
    enum { SAMPLES = 41 };
    static double heights[SAMPLES * SAMPLES];
    double low = 1e300, high = -1e300;
    for (int iz = 0; iz < SAMPLES; iz++)
        for (int ix = 0; ix < SAMPLES; ix++) {
            double h = ((ix * 7 + iz * 13) % 11) * 0.05;
            heights[iz * SAMPLES + ix] = h;
            if (h < low) low = h;
            if (h > high) high = h;
        }
    dHeightfieldDataID field = dGeomHeightfieldDataCreate();
    dGeomHeightfieldDataBuildDouble(field, heights, 1, 40.0, 40.0, SAMPLES, SAMPLES, 1.0, 0.0, 1.0, 0);
    dGeomHeightfieldDataSetBounds(field, low, high);
    dGeomID terrain = dCreateHeightfield(space, field, 1);
    dGeomSetData(terrain, (void *)(size_t)1);
    dGeomSetPosition(terrain, 0, 0, 0);
    int made = 0;
    for (int i = 0; i < count; i++, made++)
        bodies[made] = make_body(space, i % 3, (i % 20 - 10) * 1.5 + 0.25, 2 + (i % 7) * 0.3, (i / 20 - 7) * 1.5, made, made + 1);
    for (int k = 0; k < 10; k++, made++)
        bodies[made] = make_body(space, 1, 15.0, 1.5 + k * 0.5, 15.0, made, made + 1);
    return made;
}

static double now_ms(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec * 1e3 + t.tv_nsec / 1e6;
}

int main(int argc, char **argv)
{
    if (argc != 5 || (strcmp(argv[1], "pyramid") != 0 && strcmp(argv[1], "stage") != 0)) {
        fprintf(stderr, "usage: ode-scenes pyramid|stage <bodies> <warmup steps> <measured steps>\n");
        return 2;
    }
    int stage_scene = strcmp(argv[1], "stage") == 0;
    int boxes = atoi(argv[2]), warmup = atoi(argv[3]), steps = atoi(argv[4]);
    if (!dCheckConfiguration("ODE_double_precision")) {
        fprintf(stderr, "ode-scenes: ODE is not built in double precision\n");
        return 1;
    }
    dInitODE2(0);
    dAllocateODEDataForThread(dAllocateMaskAll);
    world = dWorldCreate();
    dWorldSetGravity(world, 0, -9.81, 0);
    dWorldSetERP(world, 0.2);
    dWorldSetCFM(world, 1e-5);
    dWorldSetQuickStepNumIterations(world, 20);
    dWorldSetQuickStepW(world, 1.3);
    dWorldSetContactMaxCorrectingVel(world, 10);
    dWorldSetContactSurfaceLayer(world, 0.001);
    dWorldSetLinearDamping(world, 0);
    dWorldSetAngularDamping(world, 0);
    dWorldSetAutoDisableFlag(world, 0);
    dSpaceID space = dHashSpaceCreate(0);
    dHashSpaceSetLevels(space, -3, 10);
    dSpaceSetCleanup(space, 0);
    contacts = dJointGroupCreate(0);
    dRandSetSeed(0);

    const double size = 0.5;
    dBodyID *bodies = malloc(sizeof(dBodyID) * (size_t)(boxes + 16));
    int made = 0;
    if (stage_scene) {
        made = build_stage(space, bodies, boxes);
        boxes = 0;
    } else {
        dGeomID floor = dCreatePlane(space, 0, 1, 0, 0);
        dGeomSetData(floor, (void *)(size_t)1);
    }

    /* A triangle of 0.5 m boxes standing on the floor, filled from the bottom row up. */
    int base = 1;
    while (base * (base + 1) / 2 < boxes) base++;
    for (int row = 0; row < base && made < boxes; row++) {
        int in_row = base - row;
        for (int i = 0; i < in_row && made < boxes; i++) {
            double x = (i - (in_row - 1) / 2.0) * size;
            double y = size / 2 + row * size;
            dMass mass;
            dMassSetBoxTotal(&mass, 1.0, size, size, size);
            dBodyID body = dBodyCreate(world);
            dBodySetData(body, (void *)(size_t)(made + 1));
            dBodySetAutoDisableFlag(body, 0);
            dBodySetMass(body, &mass);
            dBodySetPosition(body, x, y, 0);
            dQuaternion q = { 1, 0, 0, 0 };
            dBodySetQuaternion(body, q);
            dGeomID geom = dCreateBox(space, size, size, size);
            dGeomSetData(geom, (void *)(size_t)(made + 2));
            dGeomSetBody(geom, body);
            bodies[made++] = body;
        }
    }

    for (int s = 0; s < warmup; s++) {
        dSpaceCollide(space, 0, near_callback);
        dWorldQuickStep(world, 1.0 / 120);
        dJointGroupEmpty(contacts);
    }
    double start = now_ms();
    for (int s = 0; s < steps; s++) {
        dSpaceCollide(space, 0, near_callback);
        dWorldQuickStep(world, 1.0 / 120);
        dJointGroupEmpty(contacts);
    }
    double elapsed = now_ms() - start;
    double checksum = 0;
    for (int i = 0; i < made; i++) checksum += dBodyGetPosition(bodies[i])[1];
    printf("scene=%s boxes=%d ms_per_step=%.4f checksum=%.17g\n", argv[1], made, elapsed / steps, checksum);
    free(bodies);
    dJointGroupDestroy(contacts);
    dSpaceDestroy(space);
    dWorldDestroy(world);
    dCloseODE();
    return 0;
}
